using System;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

/// <summary>DescribeStateMachineForExecution, and the variableReferences member both describes share.</summary>
public sealed partial class StepFunctionsService
{
    /// <summary>
    /// The states that read workflow variables and the names they read (see <see cref="VariableReferences"/>). The member
    /// is left out when no state reads one, as AWS's recorded answers do, and with includedData=METADATA_ONLY, which
    /// withholds the definition it is computed from (an assumption: no recording shows that combination).
    /// </summary>
    private static void AddVariableReferences(JsonObject result, StateMachineRecord machine)
    {
        if (VariableReferences.ToJson(machine.Parsed.Root) is { } references) result["variableReferences"] = references;
    }

    /// <summary>
    /// The machine revision an execution ran (the version's, when started through one): AWS reports the unqualified
    /// machine ARN and the revision's revisionId (LocalStack's test_describe_state_machine_for_execution_of_version*
    /// snapshots). A Map Run's child reports its labelled machine ARN, the Map Run and its label (model: "The state
    /// machine returned is the state machine associated with the Map Run").
    /// </summary>
    private JsonObject DescribeStateMachineForExecution(JsonMembers m)
    {
        var arn = m.RequiredString("executionArn");
        var data = IncludesData(m);
        var e = RequireReadableExecution(arn, allowMapRunExpress: true);
        var machine = e.StateMachine;
        var result = new JsonObject
        {
            ["stateMachineArn"] = e.StateMachineArn,
            ["name"] = e.MapRunArn is null ? machine.Name : e.StateMachineArn[(e.StateMachineArn.IndexOf(":stateMachine:", StringComparison.Ordinal) + 14)..],
            ["definition"] = data ? machine.Definition : "{}",
            ["roleArn"] = machine.RoleArn,
            ["updateDate"] = EpochTime.ToEpochSeconds(machine.UpdateDate ?? machine.CreationDate),
            ["loggingConfiguration"] = new JsonObject { ["level"] = "OFF", ["includeExecutionData"] = false },
            ["tracingConfiguration"] = new JsonObject { ["enabled"] = false },
        };
        if (e.MapRunArn is not null)
        {
            result["mapRunArn"] = e.MapRunArn;
            result["label"] = e.StateMachineArn[(e.StateMachineArn.LastIndexOf('/') + 1)..];
        }
        if (machine.RevisionId is not null) result["revisionId"] = machine.RevisionId;
        if (data) AddVariableReferences(result, machine);
        return result;
    }
}
