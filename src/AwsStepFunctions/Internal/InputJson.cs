using System.Collections.ObjectModel;
using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// -Input as JSON text: a string is taken as the document itself (the core validates it); any other
    /// object (hashtable, PSCustomObject, array, number) goes through PowerShell's own ConvertTo-Json so
    /// it serialises exactly as the user would expect from the shell.
    /// </summary>
    internal static class InputJson
    {
        /// <summary>Deep enough for any realistic payload; ConvertTo-Json's default of 2 silently truncates.</summary>
        private const int Depth = 100;

        private static readonly ScriptBlock Convert = ScriptBlock.Create(
            "param($value, $depth) ConvertTo-Json -InputObject $value -Depth $depth -Compress");

        public static string? From(PSCmdlet cmdlet, object? input)
        {
            if (input == null) return null;
            var baseObject = input is PSObject pso ? pso.BaseObject : input;
            // An empty cell (Import-Csv) or an empty field means no input, as when -Input is omitted: the service's {}.
            if (baseObject is string text) return string.IsNullOrWhiteSpace(text) ? null : text;
            Collection<PSObject> result = cmdlet.InvokeCommand.InvokeScript(false, Convert, null, input, Depth);
            return result.Count == 0 ? null : result[0]?.BaseObject as string;
        }
    }
}
