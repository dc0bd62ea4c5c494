using Xunit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataKit;
using static AwsStepFunctions.Local.Tests.Asl.Jsonata.JsonataSuiteDocuments;

namespace AwsStepFunctions.Local.Tests.Asl.Jsonata;

// The parent operator (%), ported from the jsonata-js test suite (groups/parent-operator): expressions, documents and
// expected results are the suite's.
public sealed class JsonataParentOperatorTests
{
    [Theory]
    // groups/parent-operator/parent.json
    [InlineData("""Account.Order.Product.{ "order": %.OrderID, "Product": `Product Name`, "Weight": Description.Weight }""", "account", """[{"order":"order103","Product":"Bowler Hat","Weight":0.75},{"order":"order103","Product":"Trilby hat","Weight":0.6},{"order":"order104","Product":"Bowler Hat","Weight":0.75},{"order":"order104","Product":"Cloak","Weight":2}]""")]
    [InlineData("""Account.(Order.Product).{ "order": %.OrderID, "Product": `Product Name`, "Weight": Description.Weight }""", "account", """[{"order":"order103","Product":"Bowler Hat","Weight":0.75},{"order":"order103","Product":"Trilby hat","Weight":0.6},{"order":"order104","Product":"Bowler Hat","Weight":0.75},{"order":"order104","Product":"Cloak","Weight":2}]""")]
    [InlineData("Account.Order.Product.[`Product Name`, %.OrderID]", "account", """["Bowler Hat","order103","Trilby hat","order103","Bowler Hat","order104","Cloak","order104"]""")]
    [InlineData("Account.Order.Product.{ `Product Name`: [Quantity, %.OrderID] }", "account", """[{"Bowler Hat":[2,"order103"]},{"Trilby hat":[1,"order103"]},{"Bowler Hat":[4,"order104"]},{"Cloak":[1,"order104"]}]""")]
    [InlineData("Account.Order.Product.{ `Product Name`: [Quantity, (%.OrderID)] }", "account", """[{"Bowler Hat":[2,"order103"]},{"Trilby hat":[1,"order103"]},{"Bowler Hat":[4,"order104"]},{"Cloak":[1,"order104"]}]""")]
    [InlineData("Account.Order.Product[%.OrderID='order104'].SKU", "account", """["040657863","0406654603"]""")]
    [InlineData("Account.Order.Product[%.%.`Account Name`='Firefly'].SKU", "account", """["0406654608","0406634348","040657863","0406654603"]""")]
    [InlineData("Account.Order.Product.Price[%.%.OrderID='order103']", "account", "[34.45,21.67]")]
    [InlineData("Account.Order.Product.Price.%[%.OrderID='order103'].SKU", "account", """["0406654608","0406634348"]""")]
    [InlineData("Account.Order.Product[%.OrderID='order104'][%.%.`Account Name`='Firefly'].SKU", "account", """["040657863","0406654603"]""")]
    [InlineData("(Account.Order.Product)[%.OrderID='order104'].SKU", "account", """["040657863","0406654603"]""")]
    [InlineData("Account.Order.Product.{ %.OrderID: Price * Quantity }", "account", """[{"order103":68.9},{"order103":21.67},{"order104":137.8},{"order104":107.99}]""")]
    [InlineData("Account.Order.().%", "account", Undefined)]
    [InlineData("Account.Order.Product.{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }", "account", """[{"Product":"Bowler Hat","Order":"order103","Account":"Firefly"},{"Product":"Trilby hat","Order":"order103","Account":"Firefly"},{"Product":"Bowler Hat","Order":"order104","Account":"Firefly"},{"Product":"Cloak","Order":"order104","Account":"Firefly"}]""")]
    [InlineData("Account.Order.(Product).{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }", "account", """[{"Product":"Bowler Hat","Order":"order103","Account":"Firefly"},{"Product":"Trilby hat","Order":"order103","Account":"Firefly"},{"Product":"Bowler Hat","Order":"order104","Account":"Firefly"},{"Product":"Cloak","Order":"order104","Account":"Firefly"}]""")]
    [InlineData("Account.(Order.(Product)).{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }", "account", """[{"Product":"Bowler Hat","Order":"order103","Account":"Firefly"},{"Product":"Trilby hat","Order":"order103","Account":"Firefly"},{"Product":"Bowler Hat","Order":"order104","Account":"Firefly"},{"Product":"Cloak","Order":"order104","Account":"Firefly"}]""")]
    [InlineData("Account.(Order).(Product).{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }", "account", """[{"Product":"Bowler Hat","Order":"order103","Account":"Firefly"},{"Product":"Trilby hat","Order":"order103","Account":"Firefly"},{"Product":"Bowler Hat","Order":"order104","Account":"Firefly"},{"Product":"Cloak","Order":"order104","Account":"Firefly"}]""")]
    [InlineData("(Account.Order).(Product).{ 'Product': `Product Name`, 'Order': %.OrderID, 'Account': %.%.`Account Name` }", "account", """[{"Product":"Bowler Hat","Order":"order103","Account":"Firefly"},{"Product":"Trilby hat","Order":"order103","Account":"Firefly"},{"Product":"Bowler Hat","Order":"order104","Account":"Firefly"},{"Product":"Cloak","Order":"order104","Account":"Firefly"}]""")]
    [InlineData("Account.Order.Product.SKU^(%.Price)", "account", """["0406634348","0406654608","040657863","0406654603"]""")]
    [InlineData("Account.Order.Product.SKU^(%.Price, >%.%.OrderID)", "account", """["0406634348","040657863","0406654608","0406654603"]""")]
    [InlineData("Account.Order.Product.Description.{ 'Colour': Colour, 'Total': %.Price * %.Quantity }", "account", """[{"Colour":"Purple","Total":68.9},{"Colour":"Orange","Total":21.67},{"Colour":"Purple","Total":137.8},{"Colour":"Black","Total":107.99}]""")]
    [InlineData("Account.Order.Product.Description.{ 'Item': Colour & ' ' & %.`Product Name`, 'Discounted': (%.%.OrderID = 'order103') ? %.Price / 2 : %.Price }", "account", """[{"Item":"Purple Bowler Hat","Discounted":17.225},{"Item":"Orange Trilby hat","Discounted":10.835},{"Item":"Purple Bowler Hat","Discounted":34.45},{"Item":"Black Cloak","Discounted":107.99}]""")]
    [InlineData("Account.Order.Product.( $parent := %; %.OrderID )", "account", """["order103","order103","order104","order104"]""")]
    [InlineData("Account.Order.Product.( $parent := %; $parent.OrderID )", "account", """["order103","order103","order104","order104"]""")]
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].{ 'book': $B.title, 'parent': $keys(%) }", "library", """[{"book":"Structure and Interpretation of Computer Programs","parent":["books","loans","customers"]},{"book":"Compilers: Principles, Techniques, and Tools","parent":["books","loans","customers"]},{"book":"Structure and Interpretation of Computer Programs","parent":["books","loans","customers"]}]""")]
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].customers[id=$L.customer].{ 'book': $B.title, 'customer': name, 'parent': $keys(%) }", "library", """[{"book":"Structure and Interpretation of Computer Programs","customer":"Joe Doe","parent":["books","loans","customers"]},{"book":"Compilers: Principles, Techniques, and Tools","customer":"Jason Arthur","parent":["books","loans","customers"]},{"book":"Structure and Interpretation of Computer Programs","customer":"Jason Arthur","parent":["books","loans","customers"]}]""")]
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].customers[id=$L.customer].{ 'book': $B.title, 'customer': name, 'parent': $keys(%.%) }", "library", """[{"book":"Structure and Interpretation of Computer Programs","customer":"Joe Doe","parent":["books","loans","customers"]},{"book":"Compilers: Principles, Techniques, and Tools","customer":"Jason Arthur","parent":["books","loans","customers"]},{"book":"Structure and Interpretation of Computer Programs","customer":"Jason Arthur","parent":["books","loans","customers"]}]""")]
    [InlineData("library.loans@$L.books@$B[$L.isbn=$B.isbn].customers@$C[$C.id=$L.customer].{ 'book': $B.title, 'customer': $C.name, 'grandparent': $keys(%.%) }", "library", """[{"book":"Structure and Interpretation of Computer Programs","customer":"Joe Doe","grandparent":"library"},{"book":"Compilers: Principles, Techniques, and Tools","customer":"Jason Arthur","grandparent":"library"},{"book":"Structure and Interpretation of Computer Programs","customer":"Jason Arthur","grandparent":"library"}]""")]
    public void Parent_operator_matches_the_reference(string expression, string? document, string expected) => CheckSuiteCase(expression, document, expected);

    [Theory]
    // groups/parent-operator/errors.json
    [InlineData("{'hello': 'world'}.%", null, "S0217")]
    [InlineData("%", "library", "S0217")]
    [InlineData("%()", "library", "T1006")]
    [InlineData("%(1)", "library", "T1006")]
    [InlineData("%%", "library", "S0207")]
    [InlineData("(%)", "library", "S0217")]
    [InlineData("(%%)", "library", "S0211")]
    [InlineData("library.loans.%%", "library", "S0207")]
    [InlineData("$.%", "library", "S0217")]
    [InlineData("$$.%", "library", "S0217")]
    [InlineData("library.loans.%.%.%", "library", "S0217")]
    [InlineData("library.%%%", "library", "S0217")]
    [InlineData("library.(%%%)", "library", "T2001")]
    [InlineData("library.(%% %)", "library", "T2001")]
    [InlineData("library.(% %%)", "library", "T2001")]
    [InlineData("library.(% % %)", "library", "T2001")]
    public void Parent_operator_errors_match_the_reference(string expression, string? document, string code) =>
        Assert.Equal(code, ErrorCode(expression, document));
}
