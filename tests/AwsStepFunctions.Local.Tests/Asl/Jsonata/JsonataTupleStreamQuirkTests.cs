using System.Linq;
using System.Text.Json.Nodes;
using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataSuiteDocuments;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// Where jsonata-js 2.0.6 runs tuple streams oddly, and this engine does the same, because Step Functions runs 2.0.6:
// an expression that worked here and found nothing or failed on AWS would be the worse surprise. Every expected
// result below is what jsonata-js 2.0.6 (the v2.0.6 tag) gives.
public sealed class JsonataTupleStreamQuirkTests
{
    private const string OneEmployee = """{"Employee":[{"FirstName":"Fred","Surname":"Smith"}]}""";

    [Theory]
    // Sorting two or more tuples drops the stream's mark: a predicate right after it finds no bindings...
    [InlineData("""Employee@$e^($e.Surname)[$e.FirstName="Fred"].{"n":$e.Surname}""", "employees", Undefined)]
    [InlineData("$#$pos^($)[$pos<3]", "[3,1,4,1,5,9]", Undefined)]
    // ...because it reads each tuple object, {"@": item, "e": $e}, as its context.
    [InlineData("""Employee@$e^($e.Surname)[e.FirstName="Fred"].{"n":$e.Surname}""", "employees", """{"n":"Smith"}""")]
    [InlineData("""Employee@$e^($e.Surname)[0].{"n":$e.Surname}""", "employees", """{"n":"Cruse"}""")]
    // A second sort and a grouping read the tuple objects too.
    [InlineData("""Employee@$e^($e.Surname)^(e.FirstName).{"n":$e.Surname}""", "employees", """[{"n":"Cruse"},{"n":"Smith"},{"n":"Jones"}]""")]
    [InlineData("Employee@$e^($e.Surname){$string($count($)): $keys($)}", "employees", """{"1":["@","e"]}""")]
    // One tuple is not sorted at all, so it keeps the mark and the predicate sees $e.
    [InlineData("""Employee@$e^($e.Surname)[$e.FirstName="Fred"].{"n":$e.Surname}""", OneEmployee, """{"n":"Smith"}""")]
    public void A_predicate_after_a_sort_of_tuples_reads_the_tuple_objects(string expression, string document, string expected) =>
        CheckSuiteCase(expression, document, expected);

    [Theory]
    // '#$i' right after a sort in a tuple stream binds nothing; a '#' after a predicate on the sort still counts.
    [InlineData("""Employee@$e^($e.Surname)#$i.{"n":$e.Surname, "i":$i}""", "employees", """[{"n":"Cruse"},{"n":"Jones"},{"n":"Smith"}]""")]
    [InlineData("""Employee@$e^($e.Surname)#$i.{"n":$e.Surname, "i":$i}""", OneEmployee, """{"n":"Smith"}""")]
    [InlineData("""Employee@$e^($e.Surname)#$i[true]#$j.{"n":$e.Surname, "i":$i, "j":$j}""", "employees", """[{"n":"Cruse","j":0},{"n":"Jones","j":1},{"n":"Smith","j":2}]""")]
    // A sort that starts the stream numbers its items under its index name, "undefined" when it has none.
    [InlineData("""$^($)[$>1]#$i.{"u":$undefined, "i":$i}""", "[3,1,2]", """[{"u":1,"i":0},{"u":2,"i":1}]""")]
    [InlineData("[3,1,2]#$i^($).$undefined", null, "[0,1,2]")]
    public void An_index_right_after_a_sort_of_tuples_binds_nothing(string expression, string? document, string expected) =>
        CheckSuiteCase(expression, document, expected);

    [Theory]
    // A stream that leaves a lambda is its tuple objects: navigating on finds no field of the items...
    [InlineData("""function(){ (Account.Order.Product)[%.OrderID="order104"] }().SKU""", Undefined)]
    [InlineData("""$keys(function(){ (Account.Order.Product)[%.OrderID="order104"] }())""", """["@","!0"]""")]
    [InlineData("""$count(function(){ (Account.Order.Product)[%.OrderID="order104"] }())""", "2")]
    // ...it is never collapsed, not even when empty...
    [InlineData("""function(){ (Account.Order.Product)[%.OrderID="none"] }()""", "[]")]
    // ...a predicate and a grouping still read it as tuples...
    [InlineData("""function(){ (Account.Order.Product)[%.OrderID="order104"] }()[SKU="040657863"].`@`.SKU""", "\"040657863\"")]
    [InlineData("""function(){ (Account.Order.Product)[%.OrderID="order104"] }(){"k": $count($)}""", """{"k":2}""")]
    // ...a variable hands it on unchanged, and as a step of a tuple stream its tuples join the stream.
    [InlineData("""Account.Order.($x := (Product)[%.OrderID="order104"]; $x).`@`.SKU""", """["040657863","0406654603"]""")]
    [InlineData("""Account.Order#$n.(function(){ (Product)[%.OrderID="order104"] }()).{"s":SKU, "n":$n}""", """[{"s":"040657863","n":1},{"s":"0406654603","n":1}]""")]
    public void A_tuple_stream_that_leaves_a_lambda_is_its_tuple_objects(string expression, string expected) =>
        CheckSuiteCase(expression, "account", expected);

    [Fact]
    public void A_tuple_object_comes_out_as_the_reference_serializes_it()
    {
        // Each tuple: the item under "@", then the parent that the '%' needed under the reference's label "!0".
        var order = JsonNode.Parse(Account)!["Account"]!["Order"]![1]!;
        var tuples = order["Product"]!.AsArray().Select(product => (JsonNode)new JsonObject { ["@"] = product!.DeepClone(), ["!0"] = order.DeepClone() });
        Assert.Equal(
            Text(new JsonArray([.. tuples])),
            Eval("""function(){ (Account.Order.Product)[%.OrderID="order104"] }()""", Account));
    }

    [Theory]
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].customers[$L.customer='not found']{ name: $B.title[] }", "library")]
    [InlineData("""Employee@$e[$e.FirstName="Nobody"]{"a": 1}""", "employees")]
    [InlineData("""function(){ (Account.Order.Product)[%.OrderID="none"] }(){"k": 1}""", "account")]
    public void A_grouping_of_an_empty_tuple_stream_fails_as_the_reference_does(string expression, string document)
    {
        var error = EvalError(expression, Document(document));
        Assert.Equal("U1003", error.Code);
        Assert.Contains("over an empty tuple stream", error.Message);
        Assert.Contains("TypeError: Cannot read properties of undefined (reading '@')", error.Message);
    }

    [Theory]
    // No key to evaluate, so nothing reads the missing item.
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].customers[$L.customer='not found']{}", "library", "{}")]
    // A stream that lost its mark in a sort is grouped as plain values: empty, it gives the object's literal keys.
    [InlineData("""Employee@$e^($e.Surname)[$e.FirstName="Fred"]{"a": 1}""", "employees", """{"a":1}""")]
    // A group of one tuple is that tuple, and the reference deletes its item once the first key's value has it.
    [InlineData("""$#$i{"a": $, "b": $}""", "[5]", """{"a":5}""")]
    [InlineData("""$#$i{"a": $, "b": $i}""", "[5]", """{"a":5,"b":0}""")]
    [InlineData("""$#$i{"a": $, "b": $}""", "[5,6]", """{"a":[5,6],"b":[5,6]}""")]
    public void Groupings_of_tuples_follow_the_reference(string expression, string document, string expected) =>
        CheckSuiteCase(expression, document, expected);
}
