using System;
using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Text;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// -Input as JSON text: a string is taken as the document itself (the core validates it); the lines of a JSON file
    /// (Get-Content without -Raw) are that file's document; other plain data (hashtable, PSCustomObject, array, number)
    /// goes through PowerShell's own ConvertTo-Json so it serialises exactly as the user would expect from the shell.
    /// Anything else is refused before ConvertTo-Json sees it: it would walk every property of, say, a FileInfo, and
    /// that took 13 GB and ten minutes before anyone noticed.
    /// </summary>
    internal static class InputJson
    {
        /// <summary>Deep enough for any realistic payload; ConvertTo-Json's default of 2 silently truncates.</summary>
        private const int Depth = 100;

        private static readonly ScriptBlock Convert = ScriptBlock.Create(
            "param($value, $depth) ConvertTo-Json -InputObject $value -Depth $depth -Compress");

        // A 256 KiB document holds fewer values than this; more means something that is not a payload.
        private const int MostValues = 300_000;

        public static string? From(PSCmdlet cmdlet, object? input)
        {
            if (input == null) return null;
            var baseObject = input is PSObject pso ? pso.BaseObject : input;
            // An empty cell (Import-Csv) or an empty field means no input, as when -Input is omitted: the service's {}.
            if (baseObject is string text) return string.IsNullOrWhiteSpace(text) ? null : text;
            if (JsonFileLines(baseObject) is { } document)
            {
                VerboseLines.Write(cmdlet, "-Input is the lines of a JSON document (Get-Content without -Raw): sending them as that document.");
                return document;
            }
            if (LooksLikeJsonFile(baseObject))
                throw Validate.InvalidInput("it is lines of text that start like a JSON document but do not parse as one (a comment or a trailing comma?)");
            var values = 0;
            if (NotPlainData(input, "input", 0, ref values) is { } problem) throw Validate.InvalidInput(problem);
            Collection<PSObject> result = cmdlet.InvokeCommand.InvokeScript(false, Convert, null, input, Depth);
            return result.Count == 0 ? null : result[0]?.BaseObject as string;
        }

        /// <summary>Lines of text that together are one JSON object or array, else null.</summary>
        private static string? JsonFileLines(object baseObject)
        {
            if (baseObject is not object[] { Length: > 1 } lines) return null;
            var joined = new StringBuilder();
            foreach (var line in lines)
            {
                if ((line is PSObject p ? p.BaseObject : line) is not string text) return null;
                joined.Append(text).Append('\n');
            }
            var document = joined.ToString();
            return Validate.IsJsonContainer(document) ? document : null;
        }

        /// <summary>Lines of text whose first starts with '{' or '[': meant as a JSON file's document.</summary>
        private static bool LooksLikeJsonFile(object baseObject)
        {
            if (baseObject is not object[] { Length: > 1 } lines) return false;
            if (!Array.TrueForAll(lines, l => (l is PSObject p ? p.BaseObject : l) is string)) return false;
            var first = ((string)(lines[0] is PSObject q ? q.BaseObject : lines[0])).TrimStart();
            return first.StartsWith("{", StringComparison.Ordinal) || first.StartsWith("[", StringComparison.Ordinal);
        }

        /// <summary>Null when <paramref name="value"/> is data ConvertTo-Json writes as the user means it; else what is not.</summary>
        private static string? NotPlainData(object? value, string path, int depth, ref int values)
        {
            if (++values > MostValues) return $"it holds more than {MostValues} values";
            if (depth > Depth) return $"{path} is nested deeper than {Depth} levels";
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    foreach (var property in wrapped.Properties)
                        if (NotPlainData(property.Value, $"{path}.{property.Name}", depth + 1, ref values) is { } problem) return problem;
                    return null;
                }
                value = wrapped.BaseObject;
            }
            switch (value)
            {
                case null or string or char or bool or DateTime or DateTimeOffset or Guid or Enum or decimal or System.Numerics.BigInteger
                    or DBNull or Uri:
                    return null;
                case System.Xml.XmlNode:
                    return $"{path} is XML; pass its text ($xml.OuterXml) or the fields you mean";
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (entry.Key is not string) return $"{path} has the key {entry.Key} of type {entry.Key.GetType().Name}; JSON keys are strings";
                        if (NotPlainData(entry.Value, $"{path}['{entry.Key}']", depth + 1, ref values) is { } problem) return problem;
                    }
                    return null;
                case IEnumerable items:
                    var index = 0;
                    foreach (var item in items)
                        if (NotPlainData(item, $"{path}[{index++}]", depth + 1, ref values) is { } problem) return problem;
                    return null;
            }
            return value.GetType().IsPrimitive ? null
                : $"{path} is a {value.GetType().FullName}, which ConvertTo-Json would expand property by property (pass the fields you mean, e.g. @{{ name = $item.Name }})";
        }
    }
}
