using System;
using System.Threading;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// A wire trace of the calls made inside a scope (for -Debug): each HTTP attempt, where it went, how it was answered and
    /// how long it took. The scope flows with the async calls started inside it, so one cached client can serve a traced call
    /// and an untraced one at the same time; outside a scope tracing costs one read of an AsyncLocal per attempt.
    /// Lines never carry a header, a body or a credential: only the operation, the URL, sizes, status, request id and error.
    /// </summary>
    public static class RequestTrace
    {
        private static readonly AsyncLocal<Action<string>?> CurrentWriter = new AsyncLocal<Action<string>?>();

        /// <summary>Traces the calls started until the returned scope is disposed to <paramref name="writeLine"/>, which is
        /// called on whatever thread the SDK runs on.</summary>
        public static IDisposable Begin(Action<string> writeLine)
        {
            var previous = CurrentWriter.Value;
            CurrentWriter.Value = writeLine ?? throw new ArgumentNullException(nameof(writeLine));
            return new Scope(previous);
        }

        internal static Action<string>? Writer => CurrentWriter.Value;

        private sealed class Scope : IDisposable
        {
            private readonly Action<string>? _previous;

            public Scope(Action<string>? previous) => _previous = previous;

            public void Dispose() => CurrentWriter.Value = _previous;
        }
    }
}
