using System.Management.Automation;

namespace BinaryYardstick
{
    /// <summary>The yardstick module's only cmdlet: it is imported, never called.</summary>
    [Cmdlet(VerbsCommon.Get, "BenchYardstick")]
    [OutputType(typeof(string))]
    public sealed class GetBenchYardstickCommand : PSCmdlet
    {
        [Parameter(Position = 0)]
        public string? Name { get; set; }

        protected override void ProcessRecord() => WriteObject(Name);
    }
}
