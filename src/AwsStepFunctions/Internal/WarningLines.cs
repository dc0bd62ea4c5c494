using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The module's warnings. Under -Debug, PowerShell (7.6 included) makes a compiled cmdlet's warning preference Inquire
    /// unless -WarningAction is given: each warning asks "Continue with this operation?", and a host that cannot ask
    /// (pwsh -NonInteractive, a scheduler's job) fails the call there, before a start whose warning came first was even
    /// sent. So under -Debug without -WarningAction a warning goes to the debug stream, marked as one, as the -Verbose lines
    /// do (VerboseLines); -WarningAction, given, is honoured as always.
    /// </summary>
    internal static class WarningLines
    {
        public const string DebugPrefix = "WARNING: ";

        public static void Write(PSCmdlet cmdlet, string text)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (VerboseLines.IsOn(bound, "Debug") && !bound.ContainsKey("WarningAction")) cmdlet.WriteDebug(DebugPrefix + text);
            else cmdlet.WriteWarning(text);
        }
    }
}
