using System;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Wire;
using Microsoft.Extensions.Primitives;

namespace AwsStepFunctions.Local.Sts;

/// <summary>STS over awsQuery: AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity, answering the service's XML.</summary>
public sealed partial class StsService(CredentialStore credentials, TimeProvider time)
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    // The service model's patterns are ASCII: .NET's \w would also take any Unicode letter, and $ a trailing newline.
    private static readonly Regex SessionNamePattern = new(@"^[A-Za-z0-9_+=,.@-]{2,64}\z", RegexOptions.CultureInvariant);
    private static readonly Regex ExternalIdPattern = new(@"^[A-Za-z0-9_+=,.@:/-]{2,1224}\z", RegexOptions.CultureInvariant);
    private static readonly Regex RoleArnPattern = new(@"^arn:aws(-[a-z]+)*:iam::\d{12}:role/[A-Za-z0-9_+=,.@/-]{1,128}\z", RegexOptions.CultureInvariant);

    public static bool IsKnownAction(string action) => action is "AssumeRole" or "GetCallerIdentity" or WebIdentityAction;

    public AwsResponse Handle(string action, Func<string, StringValues> form, Principal caller, string requestId) => action switch
    {
        "GetCallerIdentity" => Ok(action, $"<UserId>{X(caller.UserId)}</UserId><Account>{Principal.AccountId}</Account><Arn>{X(caller.Arn)}</Arn>", requestId),
        "AssumeRole" => AssumeRole(form, caller, requestId),
        _ => throw new StsApiException("InvalidAction", $"Could not find operation {action} for version 2011-06-15"),
    };

    private AwsResponse AssumeRole(Func<string, StringValues> form, Principal caller, string requestId)
    {
        var roleArn = RoleArn(form);
        var sessionName = SessionName(form);
        var requested = Duration(form);
        var externalId = form("ExternalId").ToString();
        if (externalId.Length > 0 && !ExternalIdPattern.IsMatch(externalId))
            throw Validation("Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:/-]*");

        var role = credentials.FindRole(roleArn);
        // Unknown role, untrusted caller, missing permission and wrong ExternalId all read the same to the
        // caller, as in AWS, so a probe learns nothing about which roles exist.
        if (role is null || !caller.IsAllowed("sts:AssumeRole") || !Trusts(role, caller) || (role.ExternalId ?? "") != externalId)
            throw new StsApiException("AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", 403);

        var (session, expiration) = Issue(role, sessionName, requested, "AssumeRole");
        return Ok("AssumeRole", SessionXml(session, expiration), requestId);
    }

    private static string RoleArn(Func<string, StringValues> form)
    {
        var roleArn = form("RoleArn").ToString();
        if (roleArn.Length == 0) throw Validation("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
        if (roleArn.Length is < 20 or > 2048 || !RoleArnPattern.IsMatch(roleArn))
            throw Validation($"Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must satisfy the pattern of an IAM role ARN");
        return roleArn;
    }

    private static string SessionName(Func<string, StringValues> form)
    {
        var sessionName = form("RoleSessionName").ToString();
        if (sessionName.Length == 0) throw Validation("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
        if (!SessionNamePattern.IsMatch(sessionName))
            throw Validation($"Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*");
        return sessionName;
    }

    private static int? Duration(Func<string, StringValues> form)
    {
        var durationText = form("DurationSeconds").ToString();
        if (durationText.Length == 0) return null;
        if (!int.TryParse(durationText, NumberStyles.None, CultureInfo.InvariantCulture, out var d) || d < 900 || d > 43200)
            throw Validation($"Value '{durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
        return d;
    }

    /// <summary>A session of the role: the requested lifetime (an hour if none), capped by the role's maximum.</summary>
    private (StoredCredential Session, DateTimeOffset Expiration) Issue(RoleConfig role, string sessionName, int? requested, string operation)
    {
        var lifetime = Math.Min(requested ?? 3600, role.DurationSeconds);
        var expiration = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds() + lifetime);
        return (credentials.IssueSession(role, sessionName, expiration, operation), expiration);
    }

    private static string SessionXml(StoredCredential session, DateTimeOffset expiration) => new StringBuilder()
        .Append("<Credentials>")
        .Append($"<AccessKeyId>{session.AccessKeyId}</AccessKeyId>")
        .Append($"<SecretAccessKey>{X(session.SecretAccessKey)}</SecretAccessKey>")
        .Append($"<SessionToken>{X(session.SessionToken!)}</SessionToken>")
        .Append($"<Expiration>{expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}</Expiration>")
        .Append("</Credentials>")
        .Append($"<AssumedRoleUser><AssumedRoleId>{X(session.Principal.UserId)}</AssumedRoleId><Arn>{X(session.Principal.Arn)}</Arn></AssumedRoleUser>")
        .ToString();

    private static bool Trusts(RoleConfig role, Principal caller)
    {
        // No list means the trust policy names the account root: every principal of the account.
        if (role.TrustedPrincipals is null || role.TrustedPrincipals.Count == 0) return true;
        foreach (var trusted in role.TrustedPrincipals)
        {
            if (trusted == "*" || trusted == $"arn:aws:iam::{Principal.AccountId}:root") return true;
            if (string.Equals(trusted, caller.Arn, StringComparison.Ordinal)) return true;
            if (!trusted.StartsWith("arn:", StringComparison.Ordinal) && caller.Arn.EndsWith(":user/" + trusted, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static StsApiException Validation(string detail) => new("ValidationError", "1 validation error detected: " + detail);

    private static AwsResponse Ok(string action, string result, string requestId) => AwsResponse.Xml(200,
        $"<{action}Response xmlns=\"{Namespace}\"><{action}Result>{result}</{action}Result>" +
        $"<ResponseMetadata><RequestId>{requestId}</RequestId></ResponseMetadata></{action}Response>");

    public static AwsResponse Error(StsApiException error, string requestId) => AwsResponse.Xml(error.StatusCode,
        $"<ErrorResponse xmlns=\"{Namespace}\"><Error><Type>{error.Type}</Type><Code>{X(error.Code)}</Code><Message>{X(error.Message)}</Message></Error>" +
        $"<RequestId>{requestId}</RequestId></ErrorResponse>", error.Code);

    public static StsApiException FromAuthFailure(AuthFailure failure) => failure.Kind switch
    {
        AuthFailureKind.MissingAuthenticationToken => new StsApiException("MissingAuthenticationToken", "Request is missing Authentication Token", 403),
        AuthFailureKind.IncompleteSignature => new StsApiException("IncompleteSignature", failure.Message, 400),
        AuthFailureKind.UnrecognizedClient => new StsApiException("InvalidClientTokenId", failure.Message, 403),
        AuthFailureKind.SignatureExpired => new StsApiException("SignatureDoesNotMatch", failure.Message, 403),
        AuthFailureKind.SignatureMismatch => new StsApiException("SignatureDoesNotMatch", failure.Message, 403),
        AuthFailureKind.ExpiredToken => new StsApiException("ExpiredToken", failure.Message, 400),
        _ => new StsApiException("AccessDenied", failure.Message, 403),
    };

    private static string X(string value) => SecurityElement.Escape(value) ?? "";
}
