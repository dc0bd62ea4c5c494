namespace AwsStepFunctions.Core
{
    /// <summary>The Universal task's exit codes (the seed's table; the module issue).</summary>
    public enum ExitCode
    {
        Success = 0,
        Fail = 1,
        AuthenticationError = 2,
        AuthorizationError = 3,
        ConnectionError = 10,
        ProxyConnectionError = 11,
        DataValidationError = 20,
        ExecutionFailed = 23,
        ExecutionAborted = 24,
        ExecutionTimedOut = 25,
    }
}
