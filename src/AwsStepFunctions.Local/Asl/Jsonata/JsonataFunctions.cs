using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>Variables in scope: a block, a lambda call or the bindings given to TryEvaluate.</summary>
internal sealed class JsonataFrame(JsonataFrame? parent)
{
    private readonly Dictionary<string, object?> values = new(StringComparer.Ordinal);

    private JsonataFrame? Parent { get; } = parent;

    public void Bind(string name, object? value) => values[name] = value;

    public bool TryLookup(string name, out object? value)
    {
        for (var frame = this; frame is not null; frame = frame.Parent)
        {
            if (frame.values.TryGetValue(name, out value)) return true;
        }
        value = null;
        return false;
    }
}

/// <summary>Any value that can be called: built-ins, lambdas, partial applications, transforms, regexes.</summary>
internal abstract class JsonataFunction
{
    /// <summary>How many arguments the function declares; higher-order functions pass (value, index, array) up to this many.</summary>
    public abstract int Arity { get; }

    public abstract object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context);
}

internal sealed class LambdaFunction(LambdaNode node, JsonataFrame closure, object? definitionContext) : JsonataFunction
{
    public override int Arity => node.Parameters.Count;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context)
    {
        if (node.UsesContext && arguments.Count < node.RequiredArguments) arguments = [JsonataArray.Unwrap(context), .. arguments];
        var frame = new JsonataFrame(closure);
        for (var i = 0; i < node.Parameters.Count; i++) frame.Bind(node.Parameters[i], i < arguments.Count ? arguments[i] : null);
        // The body sees the context where the lambda was written, not where it is called.
        return evaluator.Evaluate(node.Body, definitionContext, frame);
    }
}

/// <summary>A function called with <c>?</c> placeholders: the remaining arguments fill them in order.</summary>
internal sealed class PartialFunction(JsonataFunction target, List<object?> bound, List<bool> isPlaceholder) : JsonataFunction
{
    public override int Arity => isPlaceholder.FindAll(p => p).Count;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context)
    {
        var full = new List<object?>(bound.Count);
        var next = 0;
        for (var i = 0; i < bound.Count; i++) full.Add(isPlaceholder[i] ? (next < arguments.Count ? arguments[next++] : null) : bound[i]);
        return evaluator.Invoke(target, full, context);
    }
}

/// <summary><c>$f ~&gt; $g</c> where both are functions: a function that applies f then g.</summary>
internal sealed class ComposedFunction(JsonataFunction first, JsonataFunction second) : JsonataFunction
{
    public override int Arity => first.Arity;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context) =>
        evaluator.Invoke(second, [evaluator.Invoke(first, arguments, context)], context);
}

internal sealed class BuiltinFunction : JsonataFunction
{
    private readonly Func<BuiltinCall, object?> body;

    /// <param name="name">Without the '$'.</param>
    /// <param name="minArguments">Required arguments, counting a context argument.</param>
    /// <param name="maxArguments">int.MaxValue for variadic functions.</param>
    /// <param name="usesContext">When fewer than minArguments are given, the context ($) becomes the first argument
    /// (JSONata's '-' in a signature, so <c>Name.$uppercase()</c> works).</param>
    public BuiltinFunction(string name, int minArguments, int maxArguments, bool usesContext, Func<BuiltinCall, object?> body)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        UsesContext = usesContext;
        this.body = body;
    }

    public string Name { get; }

    public int MinArguments { get; }

    public int MaxArguments { get; }

    public bool UsesContext { get; }

    // Optional parameters do not count, as with a JavaScript function's length: $map(a, $string) must not pass
    // the index as $string's "prettify" flag.
    public override int Arity => MinArguments;

    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context)
    {
        var supplied = arguments.Count;
        var contextSupplied = UsesContext && supplied < MinArguments;
        if (contextSupplied) arguments = [JsonataArray.Unwrap(context), .. arguments];
        // The reference's signature check names the first argument it cannot place, counting only those written.
        if (arguments.Count > MaxArguments)
            throw JsonataEvaluationException.Reference("T0410", new() { Token = Name, Index = MaxArguments + 1 });
        if (arguments.Count < MinArguments)
            throw JsonataEvaluationException.Reference("T0410", new() { Token = Name, Index = supplied + 1 });
        return body(new BuiltinCall(Name, evaluator, arguments, context, contextSupplied));
    }
}

/// <summary>What a built-in receives: its arguments with typed accessors that raise JSONata's T0410 on a mismatch.</summary>
/// <param name="contextSupplied">The context ($) stands in for the first argument, which the caller left out.</param>
internal readonly struct BuiltinCall(string name, JsonataEvaluator evaluator, List<object?> arguments, object? context, bool contextSupplied = false)
{
    public string Name { get; } = name;

    public JsonataEvaluator Evaluator { get; } = evaluator;

    public List<object?> Arguments { get; } = arguments;

    public object? Context { get; } = context;

    public int Count => Arguments.Count;

    public object? this[int index] => index < Arguments.Count ? Arguments[index] : null;

    public bool Has(int index) => this[index] is not null;

    public string? String(int index) => this[index] switch
    {
        null => null,
        string s => s,
        var other => throw Mismatch(index),
    };

    public double? Number(int index) => this[index] switch
    {
        null => null,
        double d => d,
        var other => throw Mismatch(index),
    };

    public bool? Boolean(int index) => this[index] switch
    {
        null => null,
        bool b => b,
        var other => throw Mismatch(index),
    };

    public JsonataFunction? Function(int index) => this[index] switch
    {
        null => null,
        JsonataFunction f => f,
        var other => throw Mismatch(index),
    };

    public JsonataObject? Object(int index) => this[index] switch
    {
        null => null,
        JsonataObject o => o,
        var other => throw Mismatch(index),
    };

    /// <summary>An array argument; a single value counts as an array of one (JSONata's signature coercion).</summary>
    public JsonataArray? Array(int index) => this[index] switch
    {
        null => null,
        JsonataArray a => a,
        var other => new JsonataArray { other },
    };

    /// <summary>
    /// The argument at <paramref name="index"/> has the wrong type. The reference numbers the arguments as written, and
    /// a context that does not fit the first one is T0411.
    /// </summary>
    public JsonataEvaluationException Mismatch(int index)
    {
        if (!contextSupplied) return JsonataEvaluationException.Reference("T0410", new() { Token = Name, Index = index + 1 });
        return index == 0
            ? JsonataEvaluationException.Reference("T0411", new() { Token = Name, Index = 1 })
            : JsonataEvaluationException.Reference("T0410", new() { Token = Name, Index = index });
    }

    /// <summary>An array argument whose members are not all <paramref name="members"/> ("numbers", "strings", "objects").</summary>
    public JsonataEvaluationException ArrayMismatch(int index, string members) =>
        JsonataEvaluationException.Reference("T0412", new() { Token = Name, Index = index + 1, Value = this[index], Type = members });

    /// <summary>A failure the reference has no message for, worded by this engine.</summary>

    public JsonataEvaluationException Error(string code, string message) => new(code, $"${Name}: {message}");
}

/// <summary>A regular expression literal (<c>/ab+/i</c>) written in JavaScript syntax and run by .NET.</summary>
internal sealed class JsonataRegex : JsonataFunction
{
    private JsonataRegex(Regex regex, string source)
    {
        Regex = regex;
        Source = source;
    }

    public Regex Regex { get; }

    public string Source { get; }

    public override int Arity => 1;

    // Bounded so a pathological pattern cannot hang a state machine run.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public static JsonataRegex Create(string pattern, string flags, int position)
    {
        var options = RegexOptions.CultureInvariant;
        if (flags.Contains('i')) options |= RegexOptions.IgnoreCase;
        if (flags.Contains('m')) options |= RegexOptions.Multiline;
        try
        {
            // ECMAScript mode gives JavaScript's meaning of \d, \w and back-references where .NET accepts the pattern.
            return new JsonataRegex(new Regex(pattern, options | RegexOptions.ECMAScript, MatchTimeout), pattern);
        }
        catch (ArgumentException)
        {
            try
            {
                return new JsonataRegex(new Regex(pattern, options, MatchTimeout), pattern);
            }
            catch (ArgumentException e)
            {
                throw new JsonataSyntaxException("S0303", position, $"invalid regular expression /{pattern}/: {e.Message}");
            }
        }
    }

    // Called directly, a regex returns the first match as an object, as $match would.
    public override object? Invoke(JsonataEvaluator evaluator, List<object?> arguments, object? context)
    {
        if (arguments.Count == 0 || arguments[0] is not string text) return null;
        var match = Run(() => Regex.Match(text));
        return match.Success ? MatchObject(match) : null;
    }

    public static JsonataObject MatchObject(Match match)
    {
        var groups = new JsonataArray();
        for (var i = 1; i < match.Groups.Count; i++) groups.Add(match.Groups[i].Success ? match.Groups[i].Value : "");
        return new JsonataObject { ["match"] = match.Value, ["index"] = (double)match.Index, ["groups"] = groups };
    }

    public static T Run<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (RegexMatchTimeoutException)
        {
            throw new JsonataEvaluationException("D1004", "the regular expression took too long to match (more than 2 seconds)");
        }
    }
}
