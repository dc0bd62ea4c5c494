using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// The ARNs of one kind this process has written out, most recent first, for a completer to offer: what an admin would
    /// otherwise copy from the last output. Nothing is fetched, so completion is instant and cannot fail. Shared by every
    /// runspace of the process; the oldest go once there are more than the capacity.
    /// </summary>
    internal sealed class RecentArns
    {
        private readonly int _capacity;
        private readonly LinkedList<Seen> _recent = new LinkedList<Seen>();
        private readonly Dictionary<string, LinkedListNode<Seen>> _byArn = new Dictionary<string, LinkedListNode<Seen>>(StringComparer.Ordinal);
        private readonly object _gate = new object();

        public RecentArns(int capacity) => _capacity = capacity;

        private sealed class Seen
        {
            public Seen(string arn, string name, string? status)
            {
                Arn = arn;
                Name = name;
                Status = status;
            }

            public readonly string Arn;
            public readonly string Name;
            public readonly string? Status;
        }

        /// <summary>O(1): it runs on every warm call.</summary>
        /// <param name="name">What the completion list shows and matches besides the ARN (an execution's name, a Map's label).</param>
        public void Remember(string arn, string name, string? status)
        {
            var seen = new Seen(arn, name, status);
            lock (_gate)
            {
                if (_byArn.TryGetValue(arn, out var old)) _recent.Remove(old);
                _byArn[arn] = _recent.AddFirst(seen);
                if (_recent.Count <= _capacity) return;
                _byArn.Remove(_recent.Last!.Value.Arn);
                _recent.RemoveLast();
            }
        }

        /// <summary>Those whose ARN or name starts with the word typed (quotes and case ignored), most recent first.</summary>
        public IEnumerable<CompletionResult> Complete(string? wordToComplete)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            List<Seen> matches;
            lock (_gate)
                matches = _recent.Where(e => e.Arn.StartsWith(word, StringComparison.OrdinalIgnoreCase)
                                             || e.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Select(e => new CompletionResult(CompletionText.Quote(e.Arn), $"{e.Name} ({e.Status})", CompletionResultType.ParameterValue, e.Arn));
        }
    }
}
