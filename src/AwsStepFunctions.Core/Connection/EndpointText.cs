using System;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// Endpoint URLs parsed once per text rather than once per call: ClientBuilder.Resolve runs on every cmdlet call, a
    /// session talks to one endpoint, and building a Uri (twice per call when AWS_CA_BUNDLE is set) was a measurable part
    /// of a warm call. A Uri is immutable; each memo is one object replaced whole, so another thread sees a consistent pair.
    /// </summary>
    internal static class EndpointText
    {
        private sealed class Validated
        {
            public Validated(string text, Uri uri)
            {
                Text = text;
                Uri = uri;
                Normalized = uri.ToString().TrimEnd('/');
            }

            public readonly string Text;
            public readonly Uri Uri;
            public readonly string Normalized;
        }

        private static Validated? _lastValidated;
        private static Tuple<string, Uri>? _lastParsed;

        /// <summary>Validate.EndpointUrl's Uri for -EndpointUrl (or the variable's value), and its text without a trailing slash.</summary>
        public static Uri Validate(string text, out string normalized)
        {
            var last = _lastValidated;
            if (last == null || !string.Equals(last.Text, text, StringComparison.Ordinal))
                _lastValidated = last = new Validated(text, Core.Validate.EndpointUrl(text));
            normalized = last.Normalized;
            return last.Uri;
        }

        /// <summary>new Uri(text), for a text already validated.</summary>
        public static Uri Parse(string text)
        {
            var last = _lastParsed;
            if (last == null || !string.Equals(last.Item1, text, StringComparison.Ordinal))
                _lastParsed = last = Tuple.Create(text, new Uri(text));
            return last.Item2;
        }
    }
}
