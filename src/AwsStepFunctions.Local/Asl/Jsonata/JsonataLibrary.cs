using System;
using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

/// <summary>The built-in functions, found by name when a $variable is not bound. Each family lives in its own file.</summary>
internal static partial class JsonataLibrary
{
    private static readonly Dictionary<string, BuiltinFunction> Functions = Build();

    public static BuiltinFunction? Find(string name) => Functions.GetValueOrDefault(name);

    public static IEnumerable<string> Names => Functions.Keys;

    private static Dictionary<string, BuiltinFunction> Build()
    {
        var functions = new Dictionary<string, BuiltinFunction>(StringComparer.Ordinal);
        void Add(string name, int min, int max, bool usesContext, Func<BuiltinCall, object?> body) =>
            functions.Add(name, new BuiltinFunction(name, min, max, usesContext, body));
        AddStringFunctions(Add);
        AddNumericFunctions(Add);
        AddArrayFunctions(Add);
        AddObjectFunctions(Add);
        AddHigherOrderFunctions(Add);
        AddDateTimeFunctions(Add);
        AddStepFunctionsFunctions(Add);
        return functions;
    }

    private delegate void Register(string name, int min, int max, bool usesContext, Func<BuiltinCall, object?> body);

    /// <summary>$string's rules, shared with the &amp; operator.</summary>
    public static string ToText(object value, bool pretty) => value switch
    {
        string s => s,
        JsonataFunction => "",
        double d when double.IsNaN(d) || double.IsInfinity(d) =>
            throw JsonataEvaluationException.Reference("D3001", new() { Value = d }),
        double d => NumberText.Format(d),
        _ => NumberText.Stringify(value, pretty),
    };

    private static JsonataArray Sequence(IEnumerable<object?> items)
    {
        var sequence = JsonataArray.Sequence();
        sequence.AddRange(items);
        return sequence;
    }

    private static bool IsInteger(double value) => Math.Floor(value) == value && !double.IsInfinity(value);
}
