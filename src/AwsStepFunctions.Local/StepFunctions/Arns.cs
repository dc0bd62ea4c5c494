using System;
using System.Linq;
using AwsStepFunctions.Local.Auth;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>Builds and checks Step Functions ARNs for this endpoint's region and account.</summary>
public sealed class Arns(string region)
{
    public string Region { get; } = region;
    private string Prefix => $"arn:aws:states:{Region}:{Principal.AccountId}:";

    public string StateMachine(string name) => Prefix + "stateMachine:" + name;
    public string Execution(string machine, string name) => Prefix + "execution:" + machine + ":" + name;
    public string ExpressExecution(string machine, string name, string id) => Prefix + "express:" + machine + ":" + name + ":" + id;
    public string AnyStateMachine => Prefix + "stateMachine:*";
    public string Activity(string name) => Prefix + "activity:" + name;

    /// <summary>
    /// A well-formed activity ARN (any partition, region, account). AWS answers a value that is no ARN at all with
    /// "Invalid Arn: 'Invalid ARN prefix: ...'" (recorded in LocalStack's test_describe_activity_invalid_arn); any other
    /// malformed ARN gets the endpoint's usual "Invalid Arn: '...'".
    /// </summary>
    public static void RequireActivity(string arn)
    {
        if (!arn.StartsWith("arn:", StringComparison.Ordinal)) throw new AwsApiException("InvalidArn", $"Invalid Arn: 'Invalid ARN prefix: {arn}'");
        var parts = arn.Split(':');
        if (arn.Length > 256 || parts.Length != 7 || parts[1].Length == 0 || parts[2] != "states" || parts[3].Length == 0
            || parts[4].Length != 12 || parts[5] != "activity" || parts[6].Length == 0)
            throw InvalidArn(arn);
    }

    /// <summary>
    /// A state machine ARN with its optional qualifier (the part after the name): digits name a version, anything else
    /// an alias. Alias names must contain a letter or one of "_-." for exactly this reason.
    /// </summary>
    public static StateMachineRef ParseQualified(string arn)
    {
        var (bare, testCase) = ParseStateMachine(arn);
        var parts = bare.Split(':');
        if (parts.Length == 7) return new StateMachineRef(bare, null, testCase);
        if (parts[7].Length == 0) throw InvalidArn(arn);
        return new StateMachineRef(string.Join(':', parts[..7]), parts[7], testCase);
    }

    /// <summary>A well-formed state machine ARN (any partition, region, account), split from its '#TestCase' suffix.</summary>
    public static (string Arn, string? TestCase) ParseStateMachine(string arn)
    {
        string? testCase = null;
        var hash = arn.IndexOf('#');
        var bare = arn;
        if (hash >= 0)
        {
            testCase = arn[(hash + 1)..];
            bare = arn[..hash];
        }
        var parts = bare.Split(':');
        if (arn.Length > 256 || parts.Length is < 7 or > 8 || parts[0] != "arn" || parts[1].Length == 0 || parts[2] != "states"
            || parts[3].Length == 0 || parts[4].Length != 12 || parts[5] != "stateMachine" || parts[6].Length == 0 || (testCase is not null && testCase.Length == 0))
            throw InvalidArn(arn);
        return (bare, testCase);
    }

    /// <summary>A well-formed execution ARN (standard or express).</summary>
    public static void RequireExecution(string arn)
    {
        var parts = arn.Split(':');
        var ok = arn.Length <= 256 && parts.Length >= 8 && parts[0] == "arn" && parts[2] == "states" && parts[4].Length == 12
                 && ((parts[5] == "execution" && parts.Length is 8 or 9) || (parts[5] == "express" && parts.Length == 9))
                 && Array.TrueForAll(parts[6..], p => p.Length > 0);
        if (!ok) throw InvalidArn(arn);
    }

    /// <summary>arn:...:express:machine:name:id, the ARN of an EXPRESS execution.</summary>
    public static bool IsExpressExecution(string arn) => arn.Split(':') is { Length: > 5 } parts && parts[5] == "express";

    /// <summary>The region of a well-formed ARN.</summary>
    public static string RegionOf(string arn) => arn.Split(':')[3];

    /// <summary>arn:aws:states:region:account:mapRun:machine/label:id, the ARN of a Map Run.</summary>
    public static void RequireMapRun(string arn)
    {
        var parts = arn.Split(':');
        var ok = arn.Length <= 2000 && parts.Length == 8 && parts[0] == "arn" && parts[2] == "states" && parts[4].Length == 12 && parts[5] == "mapRun"
                 && parts[6].IndexOf('/') is > 0 && !parts[6].EndsWith('/') && parts[7].Length > 0;
        if (!ok) throw InvalidArn(arn);
    }

    public static AwsApiException InvalidArn(string arn) => new("InvalidArn", $"Invalid Arn: '{arn}'");

    public static AwsApiException ResourceTypeNotValid(string type) => new("InvalidArn", $"Invalid Arn: 'Resource type not valid in this context: {type}'");

    public static AwsApiException TypeNotSupported() => new("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine");
}

/// <summary>A parsed state machine ARN: the machine, and the version number or alias name that qualified it.</summary>
public sealed record StateMachineRef(string MachineArn, string? Qualifier, string? TestCase)
{
    public bool IsVersion => Qualifier is not null && Qualifier.All(char.IsAsciiDigit);
    public bool IsAlias => Qualifier is not null && !IsVersion;

    /// <summary>A Distributed Map state's labelled machine ARN (...:stateMachine:machine/label), as a Map Run's children name it.</summary>
    public bool NamesMapState => MachineArn.Split(':')[6].Contains('/');

    /// <summary>The ARN as given, without the '#TestCase' suffix.</summary>
    public string Arn => Qualifier is null ? MachineArn : MachineArn + ":" + Qualifier;

    /// <summary>Whether the execution ran through this ARN: any of the machine's, or those started through this version (an
    /// alias's pick included) or alias.</summary>
    public bool Ran(ExecutionRecord execution)
        => Qualifier is null || (IsVersion ? execution.VersionArn : execution.AliasArn) == Arn;
}
