using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using ExecutionContext = AwsStepFunctions.Local.Asl.ExecutionContext;
using System.Threading.Tasks;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>The Step Functions operations with the real service's validation order and error codes.</summary>
public sealed partial class StepFunctionsService(StepFunctionsStore store, Arns arns, EngineOptions engine)
{
    public const int MaxInputBytes = 262_144;

    [GeneratedRegex(@"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    public static readonly string[] Operations =
    [
        "CreateStateMachine", "DescribeStateMachine", "ListStateMachines", "DeleteStateMachine", "StartExecution",
        "StartSyncExecution", "DescribeExecution", "StopExecution", "ListExecutions", "GetExecutionHistory", "RedriveExecution",
        "UpdateStateMachine", "PublishStateMachineVersion", "ListStateMachineVersions", "DeleteStateMachineVersion",
        "CreateStateMachineAlias", "DescribeStateMachineAlias", "UpdateStateMachineAlias", "DeleteStateMachineAlias", "ListStateMachineAliases",
        "DescribeMapRun", "ListMapRuns", "UpdateMapRun", "DescribeStateMachineForExecution", "TestState",
        "TagResource", "UntagResource", "ListTagsForResource", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat",
        "CreateActivity", "DescribeActivity", "DeleteActivity", "ListActivities", "GetActivityTask", "ValidateStateMachineDefinition",
    ];

    public StepFunctionsStore Store => store;

    /// <summary>
    /// The resource an IAM decision is about: the execution, the activity, else the state machine. A version or alias is authorized
    /// against its machine's unqualified ARN (developer guide, "Authorization for versions and aliases": "Step Functions
    /// uses the state machine's ARN instead of using the version ARN or alias ARN"); CreateStateMachine and
    /// CreateStateMachineAlias name the machine they create for; anything else is every state machine.
    /// </summary>
    public string ResourceFor(string operation, JsonMembers m, string? action = null)
    {
        try
        {
            // iam:PassRole is about the role passed (TestState's roleArn).
            if (action == PassRole && m.String("roleArn") is { } role) return role;
            if (m.String("executionArn") is { } execution) return execution;
            if (m.String("activityArn") is { } activity) return activity;
            // Tagging is authorized against the resource tagged (a state machine, or what the call will refuse).
            if (m.String("resourceArn") is { } tagged) return tagged;
            // A Map Run is its own IAM resource type (arn:...:mapRun:machine/label:id); ListExecutions takes one too.
            if (m.String("mapRunArn") is { } mapRun) return mapRun;
            if ((m.String("stateMachineAliasArn") ?? m.String("stateMachineVersionArn") ?? m.String("stateMachineArn")) is { } machine)
                return MachineOf(machine);
            if (operation == "CreateStateMachine" && m.String("name") is { } name) return arns.StateMachine(name);
            if (operation == "CreateActivity" && m.String("name") is { } activityName) return arns.Activity(activityName);
            if (operation == "CreateStateMachineAlias" && m.Array("routingConfiguration") is [JsonObject first, ..]
                && new JsonMembers(first).String("stateMachineVersionArn") is { } version)
                return MachineOf(version);
        }
        catch (AwsApiException)
        {
            // A member of the wrong type: the operation itself will say so, to a caller allowed to call it.
        }
        return arns.AnyStateMachine;
    }

    /// <summary>The unqualified machine ARN of a (possibly qualified) ARN; a malformed one as given.</summary>
    private static string MachineOf(string arn)
    {
        try
        {
            return Arns.ParseQualified(arn).MachineArn;
        }
        catch (AwsApiException)
        {
            return arn;
        }
    }

    /// <summary>
    /// The IAM actions a request needs, in the order they are checked: its own, and states:PublishStateMachineVersion
    /// when CreateStateMachine or UpdateStateMachine publishes (the same developer guide page: "you also need the ALLOW
    /// permission on the PublishStateMachineVersion API action").
    /// </summary>
    public static string[] ActionsFor(string operation, JsonMembers m)
    {
        if (operation == "TestState") return TestStateActions(m);
        return operation is "CreateStateMachine" or "UpdateStateMachine" && Publishes(m)
            ? ["states:" + operation, "states:PublishStateMachineVersion"]
            : ["states:" + operation];
    }

    /// <summary>
    /// TestState runs with the role it is given, so the caller must be allowed to pass it (iam:PassRole), and
    /// revealSecrets needs states:RevealSecrets: the developer guide's "IAM permissions to test a state".
    /// </summary>
    private static string[] TestStateActions(JsonMembers m)
    {
        var actions = new System.Collections.Generic.List<string> { "states:TestState" };
        try
        {
            if (m.String("roleArn") is not null) actions.Add(PassRole);
            if (m.Bool("revealSecrets") == true) actions.Add("states:RevealSecrets");
        }
        catch (AwsApiException)
        {
            // A member of the wrong type: TestState itself will say so, to a caller allowed to call it.
        }
        return actions.ToArray();
    }

    public const string PassRole = "iam:PassRole";

    private static bool Publishes(JsonMembers m)
    {
        try
        {
            return m.Bool("publish") == true;
        }
        catch (AwsApiException)
        {
            return false;
        }
    }

    public async Task<JsonObject> InvokeAsync(string operation, JsonMembers m, CancellationToken cancel) => operation switch
    {
        "CreateStateMachine" => CreateStateMachine(m),
        "DescribeStateMachine" => DescribeStateMachine(m),
        "ListStateMachines" => ListStateMachines(m),
        "DeleteStateMachine" => DeleteStateMachine(m),
        "StartExecution" => StartExecution(m),
        "StartSyncExecution" => await StartSyncExecutionAsync(m, cancel),
        "DescribeExecution" => DescribeExecution(m),
        "StopExecution" => StopExecution(m),
        "ListExecutions" => ListExecutions(m),
        "GetExecutionHistory" => GetExecutionHistory(m),
        "RedriveExecution" => RedriveExecution(m),
        "UpdateStateMachine" => UpdateStateMachine(m),
        "PublishStateMachineVersion" => PublishStateMachineVersion(m),
        "ListStateMachineVersions" => ListStateMachineVersions(m),
        "DeleteStateMachineVersion" => DeleteStateMachineVersion(m),
        "CreateStateMachineAlias" => CreateStateMachineAlias(m),
        "DescribeStateMachineAlias" => DescribeStateMachineAlias(m),
        "UpdateStateMachineAlias" => UpdateStateMachineAlias(m),
        "DeleteStateMachineAlias" => DeleteStateMachineAlias(m),
        "ListStateMachineAliases" => ListStateMachineAliases(m),
        "DescribeMapRun" => DescribeMapRun(m),
        "ListMapRuns" => ListMapRuns(m),
        "UpdateMapRun" => UpdateMapRun(m),
        "DescribeStateMachineForExecution" => DescribeStateMachineForExecution(m),
        "TestState" => await TestStateAsync(m, cancel),
        "TagResource" => TagResource(m),
        "UntagResource" => UntagResource(m),
        "ListTagsForResource" => ListTagsForResource(m),
        "SendTaskSuccess" => SendTaskSuccess(m),
        "SendTaskFailure" => SendTaskFailure(m),
        "SendTaskHeartbeat" => SendTaskHeartbeat(m),
        "CreateActivity" => CreateActivity(m),
        "DescribeActivity" => DescribeActivity(m),
        "DeleteActivity" => DeleteActivity(m),
        "ListActivities" => ListActivities(m),
        "GetActivityTask" => await GetActivityTaskAsync(m, cancel),
        "ValidateStateMachineDefinition" => ValidateStateMachineDefinition(m),
        _ => throw new AwsApiException("UnknownOperationException", "", AwsErrorFamily.Common),
    };

    /// <summary>Registers a machine at start-up (--definitions); same rules as CreateStateMachine.</summary>
    public StateMachineRecord Register(string name, string definition, string roleArn, string type)
    {
        Names.Require(name);
        var parsed = Parse(definition, type);
        var record = new StateMachineRecord(name, arns.StateMachine(name), definition, parsed, roleArn, type, Now());
        return store.AddOrGet(record);
    }

    private JsonObject CreateStateMachine(JsonMembers m)
    {
        var name = m.RequiredString("name");
        var definition = m.RequiredString("definition");
        var roleArn = m.RequiredString("roleArn");
        var type = m.String("type") ?? "STANDARD";
        var publish = m.Bool("publish") ?? false;
        var versionDescription = m.String("versionDescription");
        if (type is not ("STANDARD" or "EXPRESS"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        RequireDefinitionLength(definition);
        RequireDescription(versionDescription, "versionDescription");
        if (versionDescription is not null && !publish) throw AwsApiException.Validation("Version description can only be set when publish is true");
        Names.Require(name);
        RequireRoleArn(roleArn);
        var parsed = Parse(definition, type);

        var (logging, tracing, encryption) = (m.Object("loggingConfiguration"), m.Object("tracingConfiguration"), m.Object("encryptionConfiguration"));
        ConfigurationCheck.All(logging, tracing, encryption);
        var configuration = MachineConfiguration.Default.With(logging, tracing, encryption);
        var created = new CreateOptions(publish, versionDescription);
        var machineArn = arns.StateMachine(name);
        RequireNotDeleting(machineArn);
        var tags = ReadCreateTags(m, machineArn);
        var candidate = new StateMachineRecord(name, machineArn, definition, parsed, roleArn, type, Now())
        {
            Configuration = configuration,
            Created = created,
        };
        // Publishing version 1 is part of the create (one critical section), so a concurrent repeat never sees the machine
        // without it.
        var record = store.AddOrGet(candidate, publish ? (machine, versions) => versions.Add(machine, versionDescription, machine.CreationDate) : null, tags);
        // The idempotency check of the API reference: name, definition, type, logging/tracing/encryption configuration,
        // publish and versionDescription. A different roleArn (or tags) is ignored, and the machine keeps its own.
        if (record.Definition != definition || record.Type != type || record.Configuration != configuration || record.Created != created)
            throw new AwsApiException("StateMachineAlreadyExists", $"State Machine Already Exists: '{record.Arn}'");
        var result = new JsonObject { ["stateMachineArn"] = record.Arn, ["creationDate"] = EpochTime.ToEpochSeconds(record.CreationDate) };
        // The original answer: a publishing create made version 1 of its then new machine.
        if (record.Created.Publish) result["stateMachineVersionArn"] = record.Arn + ":1";
        return result;
    }

    /// <summary>The model's Definition shape: 1 to 1,048,576 characters. Sensitive, so the message does not echo it.</summary>
    private static void RequireDefinitionLength(string definition)
    {
        if (definition.Length < 1)
            throw AwsApiException.Validation("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (definition.Length > 1_048_576)
            throw AwsApiException.Validation("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576");
    }

    private static void RequireRoleArn(string roleArn)
    {
        if (roleArn.Length > 256 || !RoleArnPattern().IsMatch(roleArn)) throw Arns.InvalidArn(roleArn);
    }

    /// <summary>
    /// The one check of a definition for a machine of <paramref name="type"/>: CreateStateMachine, UpdateStateMachine,
    /// --definitions and ValidateStateMachineDefinition all go through it, so they accept and refuse the same definitions.
    /// Throws AslDefinitionException with the problems found.
    /// </summary>
    private static StateMachineDefinition CheckDefinition(string definition, string type)
    {
        var parsed = StateMachineDefinition.Parse(definition);
        RequireTypeAllows(type, parsed);
        return parsed;
    }

    /// <summary>
    /// EXPRESS workflows run neither a .sync nor a .waitForTaskToken integration (AWS's "Optimized integrations" table), nor
    /// activities (the developer guide's Standard vs. Express table): such a definition is refused when it is created, not
    /// when an execution reaches the state. The children of a Distributed Map with ExecutionType EXPRESS are Express
    /// executions, so the same holds in its item processor whatever the machine's type. The wording is AWS's, as recorded
    /// for .waitForTaskToken (trailing space included); .sync is worded the same way (not recorded), and an activity's
    /// wording is this endpoint's own.
    /// </summary>
    private static void RequireTypeAllows(string type, StateMachineDefinition parsed)
    {
        var (pointer, resource) = parsed.WaitingTasksInExpress(type == "EXPRESS").FirstOrDefault();
        if (pointer is null) return;
        if (TaskHistory.IsActivity(resource))
            throw new AslDefinitionException($"Express state machine does not support activities (Resource '{resource}')", pointer);
        var pattern = resource.EndsWith(".waitForTaskToken", StringComparison.Ordinal) ? ".waitForTaskToken" : ".sync";
        throw new AslDefinitionException($"Express state machine does not support '{pattern}' service integration ", pointer);
    }

    /// <summary>The checked definition, or InvalidDefinition with every problem in AWS's "CODE: message at /pointer" form.</summary>
    private static StateMachineDefinition Parse(string definition, string type = "STANDARD")
    {
        try
        {
            return CheckDefinition(definition, type);
        }
        catch (AslDefinitionException ex)
        {
            throw new AwsApiException("InvalidDefinition", DefinitionProblem.InvalidDefinitionMessage(ex.Problems));
        }
    }

    /// <summary>
    /// The machine, or with a version ARN that version's snapshot (its stateMachineArn and creationDate are the
    /// version's). METADATA_ONLY answers the definition as "{}", as the model documents for that value.
    /// </summary>
    private JsonObject DescribeStateMachine(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var data = IncludesData(m);
        var target = Arns.ParseQualified(arn);
        // The model's errors for DescribeStateMachine have no ValidationException: an alias is the wrong kind of ARN here.
        // The exact answer of the service is not recorded anywhere we could find; this is an assumption (see README).
        if (target.IsAlias) throw Arns.InvalidArn(arn);
        var version = target.IsVersion ? FindVersion(target) ?? throw MachineDoesNotExist(target.Arn) : null;
        var machine = version?.Revision ?? store.FindMachine(target.MachineArn) ?? throw MachineDoesNotExist(target.Arn);
        var result = new JsonObject
        {
            ["stateMachineArn"] = version?.Arn ?? machine.Arn,
            ["name"] = machine.Name,
            ["status"] = store.IsDeleting(target.MachineArn) ? "DELETING" : "ACTIVE",
            ["definition"] = data ? machine.Definition : "{}",
            ["roleArn"] = machine.RoleArn,
            ["type"] = machine.Type,
            ["creationDate"] = EpochTime.ToEpochSeconds(version?.CreationDate ?? machine.CreationDate),
            ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false },
            ["tracingConfiguration"] = new JsonObject { ["enabled"] = false },
        };
        if (machine.RevisionId is not null) result["revisionId"] = machine.RevisionId;
        if (version?.Description is not null) result["description"] = version.Description;
        if (data) AddVariableReferences(result, machine);
        return result;
    }

    private JsonObject ListStateMachines(JsonMembers m)
    {
        return PageToken.PageByPosition(store.Machines(), m.String("nextToken"), m.PageSize(), "stateMachines", "ListStateMachines", sm => new JsonObject
        {
            ["stateMachineArn"] = sm.Arn,
            ["name"] = sm.Name,
            ["type"] = sm.Type,
            ["creationDate"] = EpochTime.ToEpochSeconds(sm.CreationDate),
        });
    }

    private JsonObject DeleteStateMachine(JsonMembers m)
    {
        var arn = m.RequiredString("stateMachineArn");
        var target = Arns.ParseQualified(arn);
        // A version or alias has its own delete; taking one here for its machine would delete far more than asked. The
        // model's errors for DeleteStateMachine are InvalidArn and ValidationException (the latter documented for a
        // qualified ARN); the message is this endpoint's own.
        if (target.IsVersion)
            throw AwsApiException.Validation($"DeleteStateMachine takes an unqualified state machine ARN; delete a version with DeleteStateMachineVersion: '{arn}'");
        if (target.IsAlias)
            throw AwsApiException.Validation($"DeleteStateMachine takes an unqualified state machine ARN; delete an alias with DeleteStateMachineAlias: '{arn}'");
        // The API reference's own example of a qualified ARN that fails with ValidationException: a Distributed Map's label.
        if (target.NamesMapState)
            throw AwsApiException.Validation($"DeleteStateMachine takes an unqualified state machine ARN, not a Distributed Map state's: '{arn}'");
        // Deleting is idempotent in the real service: an unknown machine, or one already DELETING, is not an error.
        store.DeleteMachine(target.MachineArn);
        return new JsonObject();
    }

    private JsonObject StartExecution(JsonMembers m)
    {
        var (target, testCase, name, input, trace) = ReadStart(m);
        var machine = target.Machine;
        var arn = machine.IsExpress ? arns.ExpressExecution(machine.Name, name, Guid.NewGuid().ToString()) : arns.Execution(machine.Name, name);
        var (sequence, now) = store.NextStart(engine.Time);
        var record = new ExecutionRecord(sequence, arn, name, machine, input, trace, now, testCase)
        {
            VersionArn = target.VersionArn,
            AliasArn = target.AliasArn,
        };
        record.MapRuns = new MapRunHost(store, record, engine.Time, arns.Region);
        record.Termination = TerminationOf(machine);
        var stored = store.AddOrGet(record);
        if (stored != record)
        {
            // Idempotent retry: same name and input while RUNNING answers the original start.
            if (stored.Snapshot().Status == "RUNNING" && stored.Input == input)
                return StartResponse(stored);
            throw new AwsApiException("ExecutionAlreadyExists", $"Execution Already Exists: '{arn}'");
        }
        record.Run(engine, Context(record));
        return StartResponse(record);
    }

    private static JsonObject StartResponse(ExecutionRecord e) =>
        new() { ["executionArn"] = e.Arn, ["startDate"] = EpochTime.ToEpochSeconds(e.StartDate) };

    private static ExecutionContext Context(ExecutionRecord e) =>
        new(e.Arn, e.Name, e.StateMachine.Arn, e.StateMachine.Name, e.StateMachine.RoleArn, e.StartDate, e.TestCase)
        {
            StateMachineVersionArn = e.VersionArn,
            StateMachineAliasArn = e.AliasArn,
        };

    private static AwsApiException InvalidInput(string reason) => new("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{reason}'");

    private (StartTarget Target, string? TestCase, string Name, string Input, string? Trace) ReadStart(JsonMembers m)
    {
        var machineArn = m.RequiredString("stateMachineArn");
        var name = m.String("name");
        var input = m.String("input") ?? "{}";
        var trace = m.String("traceHeader");
        if (name is not null) Names.Require(name);
        var qualified = Arns.ParseQualified(machineArn);
        // The API reference: a state machine ARN qualified with a Distributed Map state's label (.../machine/label) is refused
        // with ValidationException; only the machine, a version or an alias starts.
        if (qualified.NamesMapState)
            throw AwsApiException.Validation($"'{machineArn}' names a Distributed Map state (machine/label): an execution starts only from a state machine, a version or an alias ARN");
        if (Encoding.UTF8.GetByteCount(input) > MaxInputBytes)
            throw InvalidInput($"Input is larger than the maximum of {MaxInputBytes} bytes");
        // Checked here, so that a start is refused rather than an execution failed; the run reads it again (ExecutionRun).
        ServiceJson.Check(input, InvalidInput);
        if (trace is { Length: > 256 })
            throw AwsApiException.Validation("1 validation error detected: Value at 'traceHeader' failed to satisfy constraint: Member must have length less than or equal to 256");
        if (trace is not null && !System.Text.Ascii.IsValid(trace))
            throw AwsApiException.Validation("1 validation error detected: Value at 'traceHeader' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{ASCII}*");
        return (ResolveStart(qualified), qualified.TestCase, name ?? Guid.NewGuid().ToString(), input, trace);
    }

    private async Task<JsonObject> StartSyncExecutionAsync(JsonMembers m, CancellationToken cancel)
    {
        var (target, testCase, name, input, trace) = ReadStart(m);
        var data = IncludesData(m);
        var machine = target.Machine;
        if (!machine.IsExpress)
            throw Arns.TypeNotSupported();
        // Sync executions are not stored: the real service cannot describe them either.
        var record = new ExecutionRecord(0, arns.ExpressExecution(machine.Name, name, Guid.NewGuid().ToString()), name, machine, input, trace, Now(), testCase)
        {
            VersionArn = target.VersionArn,
            AliasArn = target.AliasArn,
        };
        record.Run(engine, Context(record));
        // Express workflows run at most five minutes; past that the real service reports TIMED_OUT.
        var limit = Task.Delay(TimeSpan.FromMinutes(5), engine.Time, cancel);
        if (await Task.WhenAny(record.Completion(), limit) == limit)
        {
            cancel.ThrowIfCancellationRequested();
            record.Stop("States.Timeout", "Express execution exceeded 5 minutes");
        }
        var s = record.Snapshot();
        var stop = s.StopDate ?? Now();
        var status = s.Status is "SUCCEEDED" or "FAILED" or "TIMED_OUT" ? s.Status : s.Status == "ABORTED" ? "FAILED" : "TIMED_OUT";
        var result = new JsonObject
        {
            ["executionArn"] = record.Arn,
            ["stateMachineArn"] = machine.Arn,
            ["name"] = name,
            ["startDate"] = EpochTime.ToEpochSeconds(record.StartDate),
            ["stopDate"] = EpochTime.ToEpochSeconds(stop),
            ["status"] = status,
            ["inputDetails"] = new JsonObject { ["included"] = data },
            ["billingDetails"] = new JsonObject
            {
                ["billedMemoryUsedInMB"] = 64,
                // Billed in 100 ms increments, at least 100 ms.
                ["billedDurationInMilliseconds"] = Math.Max(100, (long)Math.Ceiling((stop - record.StartDate).TotalMilliseconds / 100) * 100),
            },
        };
        if (data) result["input"] = input;
        if (data && s.Output is not null && status == "SUCCEEDED") result["output"] = s.Output;
        // AWS answers outputDetails for a failed run too, with no output (test_express_sync's BASE_RAISE_FAILURE recording).
        result["outputDetails"] = new JsonObject { ["included"] = data };
        if (s.Error is not null) result["error"] = s.Error;
        if (s.Cause is not null) result["cause"] = s.Cause;
        if (trace is not null) result["traceHeader"] = trace;
        return result;
    }

    /// <summary>includedData (ALL_DATA, the default, or METADATA_ONLY): whether the answer may carry the data itself.</summary>
    private static bool IncludesData(JsonMembers m)
    {
        var included = m.String("includedData") ?? "ALL_DATA";
        if (included is not ("ALL_DATA" or "METADATA_ONLY"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{included}' at 'includedData' failed to satisfy constraint: Member must satisfy enum value set: [ALL_DATA, METADATA_ONLY]");
        return included == "ALL_DATA";
    }

    /// <summary>The service's answer for a machine, version or alias that does not exist (every partial uses it).</summary>
    private static AwsApiException MachineDoesNotExist(string arn) => new("StateMachineDoesNotExist", $"State Machine Does Not Exist: '{arn}'");

    /// <summary>
    /// CreateStateMachine (of the same name), UpdateStateMachine and the starts refuse a machine DeleteStateMachine marked
    /// DELETING with the model's StateMachineDeleting; the message is this endpoint's own (the model's description of the
    /// error, with the ARN).
    /// </summary>
    private void RequireNotDeleting(string machineArn)
    {
        if (store.IsDeleting(machineArn))
            throw new AwsApiException("StateMachineDeleting", $"The specified state machine is being deleted: '{machineArn}'");
    }

    /// <summary>The States.Runtime cause an execution of a deleted machine fails with, in the service's words.</summary>
    private Func<string?> TerminationOf(StateMachineRecord machine) =>
        () => store.IsDeleting(machine) ? $"State machine {machine.Name} has been deleted." : null;

    private DateTimeOffset Now() => EpochTime.Truncate(engine.Time.GetUtcNow());
}
