using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The module's -Verbose lines. PowerShell (7.6 included) turns the verbose stream of a compiled cmdlet run with -Debug
    /// into a prompt for every line ("Continue with this operation?"), and a host that cannot prompt (pwsh -File with
    /// redirected input, a scheduler's job) fails the call with a NullReferenceException. So under -Debug without -Verbose
    /// these lines go to the debug stream, which -Debug shows without asking.
    /// </summary>
    internal static class VerboseLines
    {
        public static void Write(PSCmdlet cmdlet, string text)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (IsOn(bound, "Debug") && !bound.ContainsKey("Verbose")) cmdlet.WriteDebug(text);
            else cmdlet.WriteVerbose(text);
        }

        /// <summary>Whether a switch was given and not turned off (-Debug:$false).</summary>
        public static bool IsOn(System.Collections.Generic.IDictionary<string, object> bound, string name)
            => bound.TryGetValue(name, out var given) && (given is SwitchParameter flag ? flag.IsPresent : LanguagePrimitives.IsTrue(given));
    }
}
