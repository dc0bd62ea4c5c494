using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace AwsStepFunctions.Core
{
    /// <summary>Extra trust anchors from PEM files (ProxyCaBundleFile, AWS_CA_BUNDLE).</summary>
    internal static class CaBundle
    {
        private const string Begin = "-----BEGIN CERTIFICATE-----";
        private const string End = "-----END CERTIFICATE-----";

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<X509Certificate2>> Loaded =
            new System.Collections.Concurrent.ConcurrentDictionary<string, List<X509Certificate2>>(StringComparer.Ordinal);

        /// <summary>
        /// Reads every certificate of a PEM file; a missing, unreadable or certificate-less file is a validation failure.
        /// Parsed bundles are kept per path, size and write time: a system bundle holds ~150 certificates and every
        /// cmdlet call resolves its settings.
        /// </summary>
        /// <param name="version">The file as it was read (path, size, write time): part of a client's cache key, so that a
        /// bundle replaced during a long session (a rotated proxy CA) builds a client that trusts the new one.</param>
        public static List<X509Certificate2> Load(string path, string field, out string version)
        {
            string? key = null;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists) key = path + "|" + info.Length + "|" + info.LastWriteTimeUtc.Ticks;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                // Read below reports the problem with the field name.
            }
            version = key ?? path;
            if (key != null && Loaded.TryGetValue(key, out var cached)) return cached;
            var certificates = Read(path, field);
            if (key != null) Loaded[key] = certificates;
            return certificates;
        }

        private static List<X509Certificate2> Read(string path, string field)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                throw Validate.Fail(field, "CaBundleNotReadable", $"{field} '{path}' must be a readable PEM file: {ex.Message}");
            }
            var certificates = new List<X509Certificate2>();
            var position = 0;
            while (true)
            {
                var start = text.IndexOf(Begin, position, StringComparison.Ordinal);
                if (start < 0) break;
                var end = text.IndexOf(End, start, StringComparison.Ordinal);
                if (end < 0) break;
                var body = text.Substring(start + Begin.Length, end - start - Begin.Length);
                try
                {
                    certificates.Add(new X509Certificate2(Convert.FromBase64String(new string(body.Where(c => !char.IsWhiteSpace(c)).ToArray()))));
                }
                catch (Exception ex) when (ex is FormatException || ex is System.Security.Cryptography.CryptographicException)
                {
                    throw Validate.Fail(field, "CaBundleNotPem", $"{field} '{path}' holds a certificate block that is not a valid certificate: {ex.Message}");
                }
                position = end + End.Length;
            }
            if (certificates.Count == 0)
                throw Validate.Fail(field, "CaBundleNotPem", $"{field} '{path}' must be a PEM file with at least one '-----BEGIN CERTIFICATE-----' block.");
            return certificates;
        }
    }

    /// <summary>
    /// Certificate validation with extra anchors: the platform's verdict first; if only the chain failed, the chain is
    /// rebuilt with the bundle as extra store and accepted only when its root is one of the bundle's certificates.
    /// Name mismatches are never forgiven and validation is never switched off.
    /// </summary>
    internal sealed class BundleTrust
    {
        private readonly X509Certificate2[] _anchors;
        private readonly HashSet<string> _anchorThumbprints;

        public BundleTrust(IEnumerable<X509Certificate2> anchors)
        {
            _anchors = anchors.ToArray();
            _anchorThumbprints = new HashSet<string>(_anchors.Select(a => a.Thumbprint), StringComparer.OrdinalIgnoreCase);
        }

        /// <summary>What was last rejected, for the error message (a certificate's subject and the chain status; no secrets).</summary>
        public string? LastProblem { get; private set; }

        public bool Validate(X509Certificate2? certificate, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None) return true;
            if (certificate == null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                LastProblem = $"certificate '{certificate?.Subject}' rejected: {errors}";
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.AddRange(_anchors);
            var built = chain.Build(certificate);
            var elements = chain.ChainElements;
            var root = elements.Count > 0 ? elements[elements.Count - 1].Certificate : null;
            var otherProblems = chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.UntrustedRoot && s.Status != X509ChainStatusFlags.NoError).ToList();
            if (built && root != null && _anchorThumbprints.Contains(root.Thumbprint) && otherProblems.Count == 0)
                return true;
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            LastProblem = $"certificate '{certificate.Subject}' (issuer '{certificate.Issuer}') is not trusted: {(status.Length == 0 ? "its root is not in the CA bundle" : status)}";
            return false;
        }
    }
}
