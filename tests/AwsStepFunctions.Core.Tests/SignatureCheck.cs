using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AwsStepFunctions.Local.Auth;
using Microsoft.AspNetCore.Http;

namespace AwsStepFunctions.Core.Tests
{
    /// <summary>
    /// Checks a recorded request's SigV4 signature with the local endpoint's verifier (itself proven against the AWS CLI's
    /// signatures): the key id alone says who the client claims to be, the signature says which secret it signed with.
    /// </summary>
    internal static class SignatureCheck
    {
        /// <summary>The access key id whose secret signed the request; throws AuthFailure when no listed secret did.</summary>
        public static string SignedBy(SeenRequest request, IReadOnlyDictionary<string, string> secretsByKeyId)
        {
            var users = secretsByKeyId.Select(pair => new UserConfig(pair.Key, pair.Key, pair.Value, new[] { "*" })).ToList();
            var verifier = new SigV4Verifier(new CredentialStore(new AccessConfig(false, users, Array.Empty<RoleConfig>())), TimeProvider.System);
            var headers = new HeaderDictionary();
            foreach (var header in request.Headers) headers[header.Key] = header.Value;
            var query = request.RawUrl.IndexOf('?');
            var signed = new SignedRequest(request.Method, query < 0 ? request.RawUrl : request.RawUrl[..query],
                query < 0 ? "" : request.RawUrl[(query + 1)..], headers, Encoding.UTF8.GetBytes(request.Body));
            return verifier.Verify(signed, "states").AccessKeyId;
        }
    }
}
