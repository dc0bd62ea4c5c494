namespace AwsStepFunctions.Local.Tests.Infrastructure;

/// <summary>State machines the server tests run; the interpreter's own tests cover the language in depth.</summary>
public static class Definitions
{
    public const string Pass = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";
    public const string WaitLong = """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""";
    public const string Fails = """{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Custom.Error","Cause":"it failed"}}}""";
}
