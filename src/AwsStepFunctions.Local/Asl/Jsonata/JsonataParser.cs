using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>
/// A Pratt (top-down operator precedence) parser with JSONata's binding powers. Paths are assembled while
/// parsing: names become one-step paths, '.' joins steps, and predicates attach to the last step. The parent
/// operator '%' is resolved as the tree is built (see JsonataParser.Ancestry.cs).
/// </summary>
internal sealed partial class JsonataParser
{
    // Deep enough for any hand-written expression, shallow enough that parsing and evaluation cannot exhaust the stack.
    private const int MaxNesting = 200;

    private static readonly Dictionary<string, int> BindingPowers = new()
    {
        ["."] = 75, ["["] = 80, ["{"] = 70, ["("] = 80, ["@"] = 80, ["#"] = 80, ["?"] = 20,
        ["+"] = 50, ["-"] = 50, ["*"] = 60, ["/"] = 60, ["%"] = 60, ["="] = 40, ["<"] = 40, [">"] = 40,
        ["^"] = 40, [".."] = 20, [":="] = 10, ["!="] = 40, ["<="] = 40, [">="] = 40, ["~>"] = 40,
        ["?:"] = 40, ["??"] = 40, ["and"] = 30, ["or"] = 25, ["in"] = 40, ["&"] = 50,
    };

    private readonly JsonataLexer lexer;
    private Token current;
    private int nesting;

    private JsonataParser(string text)
    {
        lexer = new JsonataLexer(text);
        current = lexer.Next();
    }

    public static JsonataNode Parse(string text)
    {
        var parser = new JsonataParser(text);
        if (parser.current.Kind == TokenKind.End) throw JsonataSyntaxException.Reference("S0207", 0);
        var node = parser.Expression(0);
        if (parser.current.Kind != TokenKind.End)
            throw JsonataSyntaxException.Reference("S0201", parser.current.Position, token: ReferenceValue(parser.current));
        parser.RefuseUnresolvedParent(node);
        return node;
    }

    private Token Advance()
    {
        var token = current;
        current = lexer.Next();
        return token;
    }

    private void Expect(string op)
    {
        if (current.Kind == TokenKind.Operator && current.Text == op) { Advance(); return; }
        if (current.Kind == TokenKind.End) throw JsonataSyntaxException.Reference("S0203", current.Position, value: op);
        throw JsonataSyntaxException.Reference("S0202", current.Position, token: ReferenceValue(current), value: op);
    }

    /// <summary>A token's value as the reference's messages quote it: numbers as numbers, true/false/null as JSON, a regex as {}.</summary>
    private static object? ReferenceValue(Token token) => token.Kind switch
    {
        TokenKind.End => null,
        TokenKind.Number or TokenKind.String => token.Value,
        TokenKind.Regex => new JsonataObject(),
        TokenKind.Name when token.Text == "true" => true,
        TokenKind.Name when token.Text == "false" => false,
        TokenKind.Name when token.Text == "null" => JsonataNull.Value,
        _ => token.Text,
    };

    private bool At(string op) => current.Kind == TokenKind.Operator && current.Text == op;

    private int LeftBindingPower(Token token) => token.Kind switch
    {
        TokenKind.Operator => BindingPowers.GetValueOrDefault(token.Text),
        TokenKind.Name when token.Text is "and" or "or" or "in" => BindingPowers[token.Text],
        _ => 0,
    };

    private JsonataNode Expression(int rightBindingPower)
    {
        if (++nesting > MaxNesting)
            throw new JsonataSyntaxException("S0208", current.Position, $"the expression is nested more than {MaxNesting} levels deep");
        try
        {
            var left = Prefix(Advance());
            while (rightBindingPower < LeftBindingPower(current)) left = Infix(Advance(), left);
            return left;
        }
        finally
        {
            nesting--;
        }
    }

    private JsonataNode Prefix(Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.End:
                throw JsonataSyntaxException.Reference("S0207", token.Position);
            case TokenKind.String:
                return new LiteralNode(token.Position, (string)token.Value!);
            case TokenKind.Number:
                return new LiteralNode(token.Position, (double)token.Value!);
            case TokenKind.Regex:
                return new RegexNode(token.Position, (JsonataRegex)token.Value!);
            case TokenKind.Variable when token.Text == "eval":
                throw new JsonataSyntaxException("S0999", token.Position, "$eval is not available in Step Functions; use $parse to read a JSON string");
            case TokenKind.Variable:
                return new VariableNode(token.Position, token.Text);
            case TokenKind.Name:
                return NameOrKeyword(token);
        }
        switch (token.Text)
        {
            case "-":
                var operand = Expression(70);
                if (operand is LiteralNode { Value: double d } && operand.Predicates is null) return new LiteralNode(token.Position, -d);
                return WithAncestryOf(new NegateNode(token.Position, operand), operand);
            case "*":
                return new PathNode(token.Position, [new WildcardNode(token.Position)]);
            case "**":
                return new PathNode(token.Position, [new DescendantsNode(token.Position)]);
            case "%":
                return NewParent(token);
            case "?":
                return new PlaceholderNode(token.Position);
            case "(":
                return Block(token);
            case "[":
                return ArrayConstructor(token);
            case "{":
                var pairs = Pairs();
                var obj = new ObjectNode(token.Position, pairs);
                foreach (var (key, value) in pairs) WithAncestryOf(WithAncestryOf(obj, key), value);
                return obj;
            case "|":
                return Transform(token);
        }
        throw JsonataSyntaxException.Reference("S0211", token.Position, token: ReferenceValue(token));
    }

    private JsonataNode NameOrKeyword(Token token)
    {
        switch (token.Text)
        {
            case "true": return new LiteralNode(token.Position, true);
            case "false": return new LiteralNode(token.Position, false);
            case "null": return new LiteralNode(token.Position, JsonataNull.Value);
            case "function" or "λ" when At("("):
                return Lambda(token);
        }
        return new PathNode(token.Position, [new NameNode(token.Position, token.Text)]);
    }

    private JsonataNode Infix(Token token, JsonataNode left)
    {
        var op = token.Text;
        switch (op)
        {
            case ".":
                return JoinPath(left, Expression(BindingPowers["."]));
            case "[":
                return Predicate(token, left);
            case "{":
                if (left.Group is not null) throw JsonataSyntaxException.Reference("S0210", token.Position);
                left.Group = Pairs();
                return left;
            case "(":
                return Call(token, left);
            case "^":
                return Sort(token, left);
            case "?":
                var then = Expression(0);
                JsonataNode? otherwise = null;
                if (At(":")) { Advance(); otherwise = Expression(0); }
                var condition = WithAncestryOf(WithAncestryOf(new ConditionNode(token.Position, left, then, otherwise), left), then);
                return otherwise is null ? condition : WithAncestryOf(condition, otherwise);
            case ":=":
                if (left is not VariableNode { Name: not ("" or "$"), Predicates: null, Group: null, KeepArray: false } variable)
                    throw JsonataSyntaxException.Reference("S0212", token.Position);
                var bound = Expression(BindingPowers[":="] - 1);
                return WithAncestryOf(new BindNode(token.Position, variable.Name, bound), bound);
            case "~>":
                return new ApplyNode(token.Position, left, Expression(BindingPowers["~>"]));
            case "??" or "?:":
                // JSONata 2.1 operators: Step Functions runs JSONata 2.0.6, which refuses them, so a machine that used
                // them here would pass locally and fail on AWS.
                throw new JsonataSyntaxException("S0999", token.Position,
                    $"'{op}' is a JSONata 2.1 operator and Step Functions runs JSONata 2.0.6; write 'a ? a : b' or $exists(a) ? a : b instead");
            case "@":
                return BindFocus(token, left, BindingVariable(token));
            case "#":
                return BindIndex(left, BindingVariable(token));
            case "+" or "-" or "*" or "/" or "%" or "=" or "!=" or "<" or "<=" or ">" or ">=" or "&" or "and" or "or" or "in" or "..":
                var right = Expression(BindingPowers[op]);
                return WithAncestryOf(WithAncestryOf(new BinaryNode(token.Position, op, left, right), left), right);
        }
        throw JsonataSyntaxException.Reference("S0201", token.Position, token: op);
    }

    /// <summary>The <c>$name</c> after '@' or '#'.</summary>
    private VariableNode BindingVariable(Token token)
    {
        var next = current;
        if (Expression(BindingPowers[token.Text]) is VariableNode variable) return variable;
        throw JsonataSyntaxException.Reference("S0214", next.Position, token: token.Text);
    }

    /// <summary><c>step@$v</c>: binds each result of the step to $v and keeps the step's input as the context.</summary>
    private static JsonataNode BindFocus(Token token, JsonataNode left, VariableNode variable)
    {
        var step = left is PathNode path ? path.Steps[^1] : left;
        if (step.Predicates is not null)
            throw JsonataSyntaxException.Reference("S0215", token.Position);
        if (step is SortNode)
            throw JsonataSyntaxException.Reference("S0216", token.Position);
        step.Focus = variable.Name;
        step.IsTuple = true;
        return left;
    }

    /// <summary>
    /// <c>step#$i</c>: binds each result's position. Written before the step's predicates it counts the step's results for
    /// each input; written after them it counts what they kept, across the whole stream (as the reference does).
    /// </summary>
    private static JsonataNode BindIndex(JsonataNode left, VariableNode variable)
    {
        PathNode path;
        if (left is PathNode leftPath)
        {
            path = leftPath;
        }
        else
        {
            // Anything else becomes a one-step path, and its predicates become that step's stages.
            path = new PathNode(left.Position, [left]);
            left.StagePredicates = true;
        }
        var step = path.Steps[^1];
        if (step.Predicates is null) step.Index = variable.Name;
        else step.Predicates.Add(new PositionStageNode(variable.Position, variable.Name));
        step.IsTuple = true;
        return path;
    }

    private JsonataNode JoinPath(JsonataNode left, JsonataNode right)
    {
        var path = left is PathNode leftPath && left.Group is null ? leftPath : new PathNode(left.Position, [left]);
        if (path != left) InheritParentSearch(path, left);
        if (right is PathNode rightPath && right.Group is null)
        {
            path.Steps.AddRange(rightPath.Steps);
        }
        else
        {
            // A predicate written on the right of '.' belongs to that step: a stage of the path.
            right.StagePredicates = true;
            path.Steps.Add(right);
        }
        if (right is PathNode { KeepSingletonArray: true }) path.KeepSingletonArray = true;
        for (var i = 0; i < path.Steps.Count; i++)
        {
            var step = path.Steps[i];
            switch (step)
            {
                case LiteralNode { Value: string name } literal:
                    // A quoted name in a path is a field name: Account."Account Name".
                    path.Steps[i] = new NameNode(literal.Position, name) { Predicates = literal.Predicates, KeepArray = literal.KeepArray };
                    break;
                case LiteralNode literal:
                    throw JsonataSyntaxException.Reference("S0213", literal.Position, value: literal.Value);
            }
            if (path.Steps[i].KeepArray) path.KeepSingletonArray = true;
        }
        if (path.Steps[0] is ArrayNode first) first.IsPathConstructor = true;
        if (path.Steps[^1] is ArrayNode last) last.IsPathConstructor = true;
        ResolveAncestry(path);
        return path;
    }

    private JsonataNode Predicate(Token token, JsonataNode left)
    {
        var step = left is PathNode path ? path.Steps[^1] : left;
        if (At("]"))
        {
            // a[] keeps a single result as an array.
            Advance();
            step.KeepArray = true;
            if (left is PathNode keep) keep.KeepSingletonArray = true;
            return left;
        }
        if (step.Group is not null) throw JsonataSyntaxException.Reference("S0209", token.Position);
        var predicate = Expression(0);
        Expect("]");
        if (left is PathNode) step.StagePredicates = true;
        SeekParentsOfPredicate(step, predicate);
        (step.Predicates ??= []).Add(predicate);
        return left;
    }

    private JsonataNode Call(Token token, JsonataNode procedure)
    {
        var arguments = new List<JsonataNode>();
        if (!At(")"))
        {
            while (true)
            {
                arguments.Add(Expression(0));
                if (!At(",")) break;
                Advance();
            }
        }
        Expect(")");
        var call = new CallNode(token.Position, procedure, arguments);
        foreach (var argument in arguments) WithAncestryOf(call, argument);
        return call;
    }

    private JsonataNode Lambda(Token token)
    {
        Expect("(");
        var parameters = new List<string>();
        if (!At(")"))
        {
            while (true)
            {
                var parameter = Advance();
                if (parameter.Kind != TokenKind.Variable || parameter.Text is "" or "$")
                    throw JsonataSyntaxException.Reference("S0208", parameter.Position, token: ReferenceValue(parameter), value: parameters.Count + 1);
                parameters.Add(parameter.Text);
                if (!At(",")) break;
                Advance();
            }
        }
        Expect(")");
        var signature = At("<") ? ReadSignature() : "";
        Expect("{");
        var body = Expression(0);
        Expect("}");
        var (required, usesContext) = SignatureShape(signature);
        return new LambdaNode(token.Position, parameters, body) { RequiredArguments = required, UsesContext = usesContext };
    }

    // Signatures such as <n-n:n> are read for one thing only, the '-' that lets the context stand for the first
    // argument; their types are not enforced (see the README).
    private string ReadSignature()
    {
        var depth = 0;
        var text = new System.Text.StringBuilder();
        do
        {
            var token = Advance();
            text.Append(token.Text);
            if (token.Kind == TokenKind.End) throw JsonataSyntaxException.Reference("S0203", token.Position, value: ">");
            if (token.Kind == TokenKind.Operator && token.Text == "<") depth++;
            else if (token.Kind == TokenKind.Operator && token.Text == ">") depth--;
        }
        while (depth > 0);
        return text.ToString();
    }

    /// <summary>How many parameters a signature requires, and whether the first one may come from the context.</summary>
    private static (int Required, bool UsesContext) SignatureShape(string signature)
    {
        if (signature.Length < 2) return (0, false);
        var body = signature[1..^1];
        var required = 0;
        var usesContext = false;
        var index = 0;
        var parameter = 0;
        while (index < body.Length && body[index] != ':')
        {
            // One parameter: a type letter or a (union), an optional <subtype>, then modifiers.
            if (body[index] == '(') index = body.IndexOf(')', index) + 1;
            else index++;
            if (index < body.Length && body[index] == '<')
            {
                var depth = 0;
                do
                {
                    if (body[index] == '<') depth++;
                    else if (body[index] == '>') depth--;
                    index++;
                }
                while (index < body.Length && depth > 0);
            }
            var optional = false;
            while (index < body.Length && body[index] is '?' or '+' or '-')
            {
                if (body[index] == '?') optional = true;
                if (body[index] == '-' && parameter == 0) usesContext = true;
                index++;
            }
            if (!optional) required++;
            parameter++;
            if (index <= 0) break;
        }
        return (required, usesContext);
    }

    private JsonataNode Sort(Token token, JsonataNode left)
    {
        Expect("(");
        var terms = new List<(JsonataNode, bool)>();
        while (true)
        {
            var descending = false;
            if (At("<")) Advance();
            else if (At(">")) { Advance(); descending = true; }
            terms.Add((Expression(0), descending));
            if (!At(",")) break;
            Advance();
        }
        Expect(")");
        var sort = new SortNode(token.Position, terms);
        foreach (var (expression, _) in terms) WithAncestryOf(sort, expression);
        var path = left is PathNode leftPath && left.Group is null ? leftPath : new PathNode(left.Position, [left]);
        // Unlike '.', a sort does not carry a bare '%' on its left up to the new path (as in the reference).
        if (path != left && left is PathNode) InheritParentSearch(path, left);
        path.Steps.Add(sort);
        ResolveAncestry(path);
        return path;
    }

    private JsonataNode Block(Token token)
    {
        var expressions = new List<JsonataNode>();
        while (!At(")"))
        {
            expressions.Add(Expression(0));
            if (!At(";")) break;
            Advance();
        }
        Expect(")");
        var block = new BlockNode(token.Position, expressions);
        foreach (var expression in expressions) WithAncestryOf(block, expression);
        return block;
    }

    private JsonataNode ArrayConstructor(Token token)
    {
        var items = new List<JsonataNode>();
        if (!At("]"))
        {
            while (true)
            {
                items.Add(Expression(0));
                if (!At(",")) break;
                Advance();
            }
        }
        Expect("]");
        var array = new ArrayNode(token.Position, items);
        foreach (var item in items) WithAncestryOf(array, item);
        return array;
    }

    private List<(JsonataNode, JsonataNode)> Pairs()
    {
        var pairs = new List<(JsonataNode, JsonataNode)>();
        if (!At("}"))
        {
            while (true)
            {
                var key = Expression(0);
                Expect(":");
                pairs.Add((key, Expression(0)));
                if (!At(",")) break;
                Advance();
            }
        }
        Expect("}");
        return pairs;
    }

    private JsonataNode Transform(Token token)
    {
        var pattern = Expression(0);
        Expect("|");
        var update = Expression(0);
        JsonataNode? delete = null;
        if (At(",")) { Advance(); delete = Expression(0); }
        Expect("|");
        return new TransformNode(token.Position, pattern, update, delete);
    }
}
