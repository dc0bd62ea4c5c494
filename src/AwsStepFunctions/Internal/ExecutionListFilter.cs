using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AwsStepFunctions.Core;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Get-UeStepFunctionExecution's own narrowing of one listing, since ListExecutions filters by status only: by name (plain
    /// names and wildcard patterns, any case, as Get-Process takes them) and by when executions started. The list comes
    /// newest first, so the first execution started before -StartedAfter ends it: "today's runs" reads one page, not the
    /// machine's whole 90 days. One instance per listing: it remembers which plain names it has found.
    /// </summary>
    internal sealed class ExecutionListFilter
    {
        private readonly WildcardPattern[] _patterns;
        private readonly string[] _plainNames;
        private readonly HashSet<string> _found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly DateTimeOffset? _startedAfter;
        private readonly DateTimeOffset? _startedBefore;

        private ExecutionListFilter(string[]? names, DateTimeOffset? startedAfter, DateTimeOffset? startedBefore)
        {
            var given = names ?? Array.Empty<string>();
            _patterns = given.Where(WildcardPattern.ContainsWildcardCharacters)
                .Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            _plainNames = given.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            _startedAfter = startedAfter;
            _startedBefore = startedBefore;
        }

        /// <summary>The filter for these parameters, or null when none is given (every execution is listed).</summary>
        public static ExecutionListFilter? For(string[]? names, DateTimeOffset? startedAfter, DateTimeOffset? startedBefore) =>
            names == null && startedAfter == null && startedBefore == null ? null : new ExecutionListFilter(names, startedAfter, startedBefore);

        /// <summary>Whether executions are passed over before the list's end (then -First 5 may need more than 5 read).</summary>
        public bool Narrows => _patterns.Length > 0 || _plainNames.Length > 0 || _startedBefore != null;

        public ListVerdict Judge(ExecutionSummary execution)
        {
            if (execution.StartDate is { } started)
            {
                // -StartedAfter is inclusive and -StartedBefore exclusive, so adjacent windows share no execution.
                if (_startedAfter is { } after && started < after) return ListVerdict.End;
                if (_startedBefore is { } before && started >= before) return ListVerdict.Pass;
            }
            if (_patterns.Length == 0 && _plainNames.Length == 0) return ListVerdict.Take;
            if (_plainNames.Contains(execution.Name, StringComparer.OrdinalIgnoreCase))
            {
                _found.Add(execution.Name);
                // A name is unique among a machine's listed executions (for 90 days, as long as they are listed): once every
                // plain name has been found and no pattern is left, nothing further can be wanted.
                return _patterns.Length == 0 && _found.Count == _plainNames.Length ? ListVerdict.TakeLast : ListVerdict.Take;
            }
            return _patterns.Any(p => p.IsMatch(execution.Name)) ? ListVerdict.Take : ListVerdict.Pass;
        }

        /// <summary>The plain names not found, in the order given: errors once the listing has been read to its end.</summary>
        public IEnumerable<string> MissingNames => _plainNames.Where(n => !_found.Contains(n));
    }
}
