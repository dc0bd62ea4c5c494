using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;

namespace AwsStepFunctions.Core
{
    /// <summary>SecureString at the boundary: handed to the SDK once, or hashed for the cache key without a managed copy.</summary>
    internal static class SecureText
    {
        /// <summary>The plain text, for the SDK's credential object only (which must hold it to sign).</summary>
        public static string Reveal(SecureString secure)
        {
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                return Marshal.PtrToStringUni(pointer, secure.Length);
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>One hasher per thread: the cache key is computed on every cmdlet call, and a new SHA256 object per call
        /// (a native digest context with a finalizer) cost more than the hashing itself.</summary>
        [ThreadStatic] private static SHA256? _sha;

        /// <summary>SHA-256 (hex) of the UTF-16 bytes, copied straight from unmanaged memory and wiped after hashing.</summary>
        public static string Hash(SecureString? secure)
        {
            if (secure == null || secure.Length == 0) return "";
            var bytes = new byte[secure.Length * 2];
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                Marshal.Copy(pointer, bytes, 0, bytes.Length);
                var hash = (_sha ??= SHA256.Create()).ComputeHash(bytes);
                return Hex(hash);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        private static string Hex(byte[] bytes)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (var i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
