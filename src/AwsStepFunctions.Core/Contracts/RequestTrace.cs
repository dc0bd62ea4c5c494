using System;
using System.Threading;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// A wire trace of the calls made inside a scope (for -Debug): each HTTP attempt, where it went, how it was answered and
    /// how long it took; or only the attempts that failed (for -Verbose: a retried timeout is otherwise minutes of silence).
    /// The scope flows with the async calls started inside it, so one cached client can serve a traced call and an untraced
    /// one at the same time; outside a scope tracing costs one read of an AsyncLocal per attempt.
    /// Lines never carry a header, a body or a credential: only the operation, the URL, sizes, status, request id and error.
    /// </summary>
    public static class RequestTrace
    {
        private static readonly AsyncLocal<Sink?> Current = new AsyncLocal<Sink?>();

        /// <summary>Traces the calls started until the returned scope is disposed to <paramref name="writeLine"/>, which is
        /// called on whatever thread the SDK runs on. With <paramref name="failuresOnly"/>, only failed attempts.</summary>
        public static IDisposable Begin(Action<string> writeLine, bool failuresOnly = false)
        {
            var previous = Current.Value;
            Current.Value = new Sink(writeLine ?? throw new ArgumentNullException(nameof(writeLine)), failuresOnly);
            return new Scope(previous);
        }

        internal static Sink? Writer => Current.Value;

        internal sealed class Sink
        {
            public Sink(Action<string> write, bool failuresOnly)
            {
                Write = write;
                FailuresOnly = failuresOnly;
            }

            public Action<string> Write { get; }
            public bool FailuresOnly { get; }

            /// <summary>A line about an attempt that went well (sent, answered): written unless only failures are wanted.</summary>
            public void Progress(string line)
            {
                if (!FailuresOnly) Write(line);
            }
        }

        private sealed class Scope : IDisposable
        {
            private readonly Sink? _previous;

            public Scope(Sink? previous) => _previous = previous;

            public void Dispose() => Current.Value = _previous;
        }
    }
}
