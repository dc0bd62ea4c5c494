using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;

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

        /// <summary>SHA-256 (hex) of the UTF-16 bytes, copied straight from unmanaged memory and wiped after hashing.</summary>
        public static string Hash(SecureString? secure)
        {
            if (secure == null || secure.Length == 0) return "";
            var bytes = new byte[secure.Length * 2];
            var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            try
            {
                Marshal.Copy(pointer, bytes, 0, bytes.Length);
                using var sha = SHA256.Create();
                var hash = sha.ComputeHash(bytes);
                var builder = new StringBuilder(hash.Length * 2);
                foreach (var b in hash) builder.Append(b.ToString("x2"));
                return builder.ToString();
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
