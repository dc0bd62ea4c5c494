using System;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace AwsStepFunctions.Core.Sdk
{
    /// <summary>
    /// A request refused because the session it was signed with had expired on its way, for a session the module renews
    /// itself (a role's, web identity's, SSO's, a credential_process's): the session is marked spent, so that the retry
    /// (every attempt is signed again: ResignRetries) carries a new one. Shared by the Step Functions client and the STS
    /// client that assumes a role with such a session (a role chain, or -RoleArn over a profile's role).
    /// </summary>
    internal static class ExpiredSessionRenewal
    {
        /// <summary>
        /// True when <paramref name="exception"/> refused a renewable session unprocessed and the request may be signed again
        /// with a new one. The caller checks the attempts' budget first.
        /// </summary>
        public static bool Renewed(IExecutionContext executionContext, Exception exception)
        {
            if (!(exception is AmazonServiceException service)) return false;
            var session = SessionOf(executionContext.RequestContext.Identity);
            if (session == null) return false;
            if (FailureMapper.IsExpiredToken(service.ErrorCode))
                return session.ExpireIfCurrent(SignedAccessKeyId(executionContext.RequestContext.Request));
            // The SDK signs in two halves (the token from the asynchronous call, the key from a synchronous one right after);
            // a refresh published between them gives one request the old session's token and the new session's key, which
            // the service refuses as an unknown token (a JSON service's UnrecognizedClientException, STS's
            // InvalidClientTokenId). Signed again, both come from the new session. Also refused unprocessed.
            return (service.ErrorCode == "UnrecognizedClientException" || service.ErrorCode == "InvalidClientTokenId")
                   && executionContext.RequestContext.Retries == 0;
        }

        /// <summary>The renewable session a request was signed with: the Step Functions client's source's, or STS's own identity.</summary>
        private static SessionCredentials? SessionOf(object? identity)
            => identity is CredentialsSource source ? source.RenewableSession : identity as SessionCredentials;

        /// <summary>The access key id in the request's SigV4 Authorization header ("... Credential=AKID/date/region/...").</summary>
        private static string? SignedAccessKeyId(IRequest? request)
        {
            if (request == null || !request.Headers.TryGetValue("Authorization", out var authorization)) return null;
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (start < 0) return null;
            start += "Credential=".Length;
            var end = authorization.IndexOf('/', start);
            return end > start ? authorization.Substring(start, end - start) : null;
        }
    }
}
