using System.Collections.Generic;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl.Jsonata;
using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataSuiteDocuments;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// Tuple streams beyond the reference suite: where '#' counts, what '@' leaves as the context, how far '%' reaches, and
// the errors' positions. Where jsonata-js 2.0.6 goes astray (and this engine with it): JsonataTupleStreamQuirkTests.
public sealed class JsonataTupleStreamTests
{
    [Theory]
    // Expected results as jsonata-js 2.0.6 gives them.
    [InlineData("""Account.Order.(Product)#$i.{"i":$i, "p":`Product Name`}""", "account", """[{"i":0,"p":"Bowler Hat"},{"i":1,"p":"Trilby hat"},{"i":0,"p":"Bowler Hat"},{"i":1,"p":"Cloak"}]""")]
    [InlineData("""Account.Order#$o.Product#$p.{"o":$o, "p":$p}""", "account", """[{"o":0,"p":0},{"o":0,"p":1},{"o":1,"p":0},{"o":1,"p":1}]""")]
    [InlineData("""Account.Order.Product[Price>30]#$i.{"i":$i, "p":`Product Name`}""", "account", """[{"i":0,"p":"Bowler Hat"},{"i":1,"p":"Bowler Hat"},{"i":2,"p":"Cloak"}]""")]
    [InlineData("""Account.Order.Product#$i[Price>30].{"i":$i, "p":`Product Name`}""", "account", """[{"i":0,"p":"Bowler Hat"},{"i":0,"p":"Bowler Hat"},{"i":1,"p":"Cloak"}]""")]
    [InlineData("""Account.Order.Product[Price>30]#$i[$i>0].{"i":$i, "p":`Product Name`}""", "account", """[{"i":1,"p":"Bowler Hat"},{"i":2,"p":"Cloak"}]""")]
    [InlineData("library.books#$i[$i<2].title", "library", """["Structure and Interpretation of Computer Programs","The C Programming Language"]""")]
    [InlineData("Account.Order@$o.Product", "account", Undefined)]
    [InlineData("""Account.Order@$o.$o.Product@$p^(>$p.Price).{"p":$p.Price, "o":$o.OrderID}""", "account", """[{"p":107.99,"o":"order104"},{"p":34.45,"o":"order103"},{"p":34.45,"o":"order104"},{"p":21.67,"o":"order103"}]""")]
    [InlineData("Account.Order@$o.$o.Product@$p{$o.OrderID: $sum($p.Price)}", "account", """{"order103":56.120000000000005,"order104":142.44}""")]
    [InlineData("Account.Order@$o.$o.Product{$o.OrderID: $count($o)}", "account", """{"order103":2,"order104":2}""")]
    [InlineData("a.b@$x.c@$y.($x+$y)", """{"a":{"b":1, "c":5}}""", "6")]
    [InlineData("""Account.Order.Product.Price.(%.SKU & " " & %.%.OrderID)""", "account", """["0406654608 order103","0406634348 order103","040657863 order104","0406654603 order104"]""")]
    [InlineData("Account.Order.Product.SKU.%.%.%.`Account Name`", "account", """["Firefly","Firefly","Firefly","Firefly"]""")]
    [InlineData("a.b.c.%.%.%.a.b.c", """{"a":{"b":{"c":1}}}""", "1")]
    [InlineData("Account.Order.Product[ProductID=858383].%.OrderID", "account", """["order103","order104"]""")]
    [InlineData("Account.Order.Product.`Product Name`.%.SKU", "account", """["0406654608","0406634348","040657863","0406654603"]""")]
    [InlineData("Account.Order.*.%.OrderID", "account", """["order103","order103","order103","order104","order104","order104"]""")]
    [InlineData("""Account.Order.Product.{"x": Description.%.%.OrderID}""", "account", """[{"x":"order103"},{"x":"order103"},{"x":"order104"},{"x":"order104"}]""")]
    [InlineData("Account.Order.Product^(>%.OrderID, Price).SKU", "account", """["040657863","0406654603","0406634348","0406654608"]""")]
    [InlineData("Account.Order.Product{%.OrderID: Price}", "account", "{}")]
    [InlineData("Account.Order.Product.(function(){ %.OrderID }())", "account", Undefined)]
    [InlineData("""(Account.Order.Product)[%.OrderID="order104"].SKU""", "account", """["040657863","0406654603"]""")]
    [InlineData("$#$i.$i", "[5,6,7]", "[0,1,2]")]
    [InlineData("$map([10,20], function($v){ $v })#$i.$i", null, "[0,1]")]
    // An array constructor that starts a path is evaluated whole: the reference applies no binding or stage on it.
    [InlineData("[1,2,3][$>1]#$i.$i", null, Undefined)]
    [InlineData("[1,2,3][$>1].$", null, "[2,3]")]
    public void Bindings_and_parents_match_the_reference(string expression, string? document, string expected) =>
        CheckSuiteCase(expression, document, expected);

    [Theory]
    [InlineData("Account.Order@OrderID", 14, "S0214", "The right side of \"@\" must be a variable name (start with $)")]
    [InlineData("Account.Order#1", 14, "S0214", "The right side of \"#\" must be a variable name (start with $)")]
    [InlineData("Account.Order[0]@$o", 16, "S0215", "must precede any predicates")]
    [InlineData("Account.Order^(OrderID)@$o", 23, "S0216", "must precede the 'order-by' clause")]
    [InlineData("Account.%.%", 10, "S0217", "the 'parent' cannot be derived")]
    [InlineData("Account.Order.$count(Product).%", 30, "S0217", "the 'parent' cannot be derived")]
    [InlineData("(Account.Order.Product)[%.OrderID='order104']", 24, "S0217", "the 'parent' cannot be derived")]
    public void Misuse_is_refused_at_the_offending_token(string expression, int position, string code, string problem)
    {
        var error = Assert.Throws<JsonataSyntaxException>(() => JsonataExpression.Parse(expression));
        Assert.Equal(code, error.Code);
        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_join_reads_the_state_input_without_a_context()
    {
        // As a Step Functions state runs it: no context, the data in $states.input.
        var expression = JsonataExpression.Parse("$states.input.library.loans@$l.books@$b[$l.isbn=$b.isbn].{'title': $b.title, 'customer': $l.customer}");
        var bindings = new Dictionary<string, JsonNode?> { ["states"] = new JsonObject { ["input"] = JsonNode.Parse(Library) } };
        Assert.True(expression.TryEvaluate(bindings, Environment(), out var value));
        Assert.Equal(
            """[{"title":"Structure and Interpretation of Computer Programs","customer":"10001"},{"title":"Compilers: Principles, Techniques, and Tools","customer":"10003"},{"title":"Structure and Interpretation of Computer Programs","customer":"10003"}]""",
            Text(value));
    }

    [Fact]
    public void Joined_items_come_out_as_they_went_in()
    {
        // Nothing of the tuples (bindings, parents) shows in a result; '@' leaves the context at library.
        Assert.Equal("""["books","loans","customers"]""", Eval("$keys(library.loans@$l.books@$b[$l.isbn=$b.isbn])", Library));
        Assert.Equal("""["title","authors","isbn","price","copies"]""", Eval("$keys(library.loans@$l.books@$b[$l.isbn=$b.isbn].$b)", Library));
        Assert.Equal("""["OrderID","Product"]""", Eval("$keys(Account.Order.Product.%)", Account));
    }
}
