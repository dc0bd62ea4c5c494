using System;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Jsonata;
using Xunit;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

/// <summary>Evaluates expressions against the JSONata documentation's sample documents and compares JSON text.</summary>
internal static class JsonataKit
{
    /// <summary>Written in a table where the result is JSONata's "undefined" (no value at all).</summary>
    public const string Undefined = "(undefined)";

    // The "Address" document the JSONata documentation uses for its path examples.
    public const string Address = """
        {"FirstName":"Fred","Surname":"Smith","Age":28,
         "Address":{"Street":"Hursley Park","City":"Winchester","Postcode":"SO21 2JN"},
         "Phone":[{"type":"home","number":"0203 544 1234"},{"type":"office","number":"01962 001234"},
                  {"type":"office","number":"01962 001235"},{"type":"mobile","number":"077 7700 1234"}],
         "Email":[{"type":"work","address":["fred.smith@my-work.com","fsmith@my-work.com"]},
                  {"type":"home","address":["freddy@my-social.com","frederic.smith@very-serious.com"]}],
         "Other":{"Over 18 ?":true,"Misc":null,"Alternative.Address":{"Street":"Brick Lane","City":"London","Postcode":"E1 6RF"}}}
        """;

    // The "Account" (invoice) document from the same documentation.
    public const string Account = """
        {"Account":{"Account Name":"Firefly","Order":[
          {"OrderID":"order103","Product":[
            {"Product Name":"Bowler Hat","ProductID":858383,"SKU":"0406654608","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":2},
            {"Product Name":"Trilby hat","ProductID":858236,"SKU":"0406634348","Description":{"Colour":"Orange","Width":300,"Height":200,"Depth":210,"Weight":0.6},"Price":21.67,"Quantity":1}]},
          {"OrderID":"order104","Product":[
            {"Product Name":"Bowler Hat","ProductID":858383,"SKU":"040657863","Description":{"Colour":"Purple","Width":300,"Height":200,"Depth":210,"Weight":0.75},"Price":34.45,"Quantity":4},
            {"ProductID":345664,"SKU":"0406654603","Product Name":"Cloak","Description":{"Colour":"Black","Width":30,"Height":20,"Depth":210,"Weight":2},"Price":107.99,"Quantity":1}]}]}}
        """;

    public static readonly DateTimeOffset FixedNow = new(2024, 11, 22, 13, 45, 30, 123, TimeSpan.Zero);

    public static JsonataEnvironment Environment(int seed = 42) => new()
    {
        Time = new FixedTime(FixedNow),
        Random = new Random(seed),
    };

    /// <summary>The result as compact JSON text, or <see cref="Undefined"/>.</summary>
    public static string Eval(string expression, string? input = null, IReadOnlyDictionary<string, JsonNode?>? bindings = null)
    {
        var parsed = JsonataExpression.Parse(expression);
        var node = input is null ? null : JsonNode.Parse(input);
        return parsed.TryEvaluate(node, bindings ?? new Dictionary<string, JsonNode?>(), Environment(), out var value)
            ? Text(value)
            : Undefined;
    }

    /// <summary>Asserts the result, comparing JSON text so integer formatting (1, not 1.0) is checked too.</summary>
    public static void Check(string expression, string? input, string expected)
    {
        var normalised = expected == Undefined ? expected : Text(JsonNode.Parse(expected));
        Assert.Equal(normalised, Eval(expression, input));
    }

    // Non-ASCII text stays readable in the tables ("María", not "Mar\u00EDa").
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    public static JsonataEvaluationException EvalError(string expression, string? input = null) =>
        Assert.Throws<JsonataEvaluationException>(() => Eval(expression, input));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
