using System;
using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Jsonata;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

/// <summary>
/// The input documents of the jsonata-js test suite (test/test-suite/datasets) that its join, index and parent-operator
/// cases use, and a runner that compares results as its harness does (as JSON values, whatever the key order).
/// </summary>
internal static class JsonataSuiteDocuments
{
    // datasets/employees.json
    public const string Employees = """
        {"Employee":[{"SSN":"496913021","FirstName":"Fred","Surname":"Smith"},
                     {"SSN":"496737199","FirstName":"Darren","Surname":"Cruse"},
                     {"SSN":"496306525","FirstName":"Hugh","Surname":"Jones"}],
         "Contact":[{"ssn":"496913021","Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},{"type":"mobile","number":"077 7700 1234"}]},
                    {"ssn":"496737199","Phone":[{"type":"home","number":"3146458343"},{"type":"mobile","number":"315 782 9279"}]},
                    {"ssn":"496306525","Phone":[{"type":"home","number":"0280 564 6543"}]},
                    {"ssn":"496306525","Phone":[{"type":"office","number":"0280 864 8643"}]},
                    {"ssn":"496306525","Phone":[{"type":"mobile","number":"07735 853535"}]}]}
        """;

    // datasets/library.json
    public const string Library = """
        {"library":{
          "books":[{"title":"Structure and Interpretation of Computer Programs","authors":["Abelson","Sussman"],"isbn":"9780262510875","price":38.9,"copies":2},
                   {"title":"The C Programming Language","authors":["Kernighan","Richie"],"isbn":"9780131103627","price":33.59,"copies":3},
                   {"title":"The AWK Programming Language","authors":["Aho","Kernighan","Weinberger"],"isbn":"9780201079814","copies":1},
                   {"title":"Compilers: Principles, Techniques, and Tools","authors":["Aho","Lam","Sethi","Ullman"],"isbn":"9780201100884","price":23.38,"copies":1}],
          "loans":[{"customer":"10001","isbn":"9780262510875","return":"2016-12-05"},
                   {"customer":"10003","isbn":"9780201100884","return":"2016-10-22"},
                   {"customer":"10003","isbn":"9780262510875","return":"2016-12-22"}],
          "customers":[{"id":"10001","name":"Joe Doe","address":{"street":"2 Long Road","city":"Winchester","postcode":"SO22 5PU"}},
                       {"id":"10002","name":"Fred Bloggs","address":{"street":"56 Letsby Avenue","city":"Winchester","postcode":"SO22 4WD"}},
                       {"id":"10003","name":"Jason Arthur","address":{"street":"1 Preddy Gate","city":"Southampton","postcode":"SO14 0MG"}}]}}
        """;

    // datasets/items.json: 256 rows of this shape.
    public static readonly string Items = new JsonObject
    {
        ["items"] = new JsonArray([.. Enumerable.Range(0, 256).Select(row => (JsonNode)new JsonObject
        {
            ["row"] = row,
            ["label"] = $"label_{row}",
            ["text"] = $"text_{row}",
        })]),
    }.ToJsonString();

    /// <summary>A dataset by its suite name (dataset5 is the documentation's Account document), or inline JSON; null for no input.</summary>
    public static string? Document(string? name) => name switch
    {
        null => null,
        "employees" => Employees,
        "library" => Library,
        "account" => JsonataKit.Account,
        "items" => Items,
        _ => name,
    };

    /// <summary>Compares as JSON values: the suite's expected objects follow JavaScript's key order, not the engine's.</summary>
    public static void CheckSuiteCase(string expression, string? document, string expected)
    {
        var actual = JsonataKit.Eval(expression, Document(document));
        if (expected == JsonataKit.Undefined || actual == JsonataKit.Undefined)
        {
            Assert.Equal(expected, actual);
            return;
        }
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}{Environment.NewLine}but got  {actual}");
    }

    /// <summary>The error code of a syntax or evaluation error.</summary>
    public static string ErrorCode(string expression, string? document)
    {
        try
        {
            JsonataKit.Eval(expression, Document(document));
        }
        catch (JsonataSyntaxException e)
        {
            return e.Code;
        }
        catch (JsonataEvaluationException e)
        {
            return e.Code;
        }
        return "(no error)";
    }
}
