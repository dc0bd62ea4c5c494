using System;

namespace AwsStepFunctions.Local.Auth;

/// <summary>Why a request was refused before it reached an operation; each protocol renders it in its own words.</summary>
public enum AuthFailureKind
{
    MissingAuthenticationToken,
    IncompleteSignature,
    UnrecognizedClient,
    SignatureExpired,
    SignatureMismatch,
    ExpiredToken,
    AccessDenied,
}

public sealed class AuthFailure(AuthFailureKind kind, string message) : Exception(message)
{
    public AuthFailureKind Kind { get; } = kind;
}
