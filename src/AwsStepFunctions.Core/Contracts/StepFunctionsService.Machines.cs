using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AwsStepFunctions.Core
{
    public sealed partial class StepFunctionsService
    {
        /// <summary>Checks a machine type filter before any request; returns it as the service spells it (null: both).</summary>
        public static string? ValidateMachineType(string? type) => Validate.MachineType(type);

        /// <summary>
        /// Every state machine of the account in the connection's region (ListStateMachines, all pages), by name; with
        /// <paramref name="type"/>, only the STANDARD or only the EXPRESS ones.
        /// </summary>
        public async Task<IReadOnlyList<StateMachineSummary>> ListStateMachinesAsync(string? type, CancellationToken cancellationToken)
        {
            var wanted = ValidateMachineType(type);
            var all = await Client.ListStateMachinesAsync(cancellationToken).ConfigureAwait(false);
            return all.Where(m => wanted == null || string.Equals(m.Type, wanted, StringComparison.Ordinal))
                .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
        }
    }
}
