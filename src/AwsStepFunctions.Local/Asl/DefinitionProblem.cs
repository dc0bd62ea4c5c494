using System.Collections.Generic;
using System.Linq;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// One thing wrong with a definition, as AWS reports it: a diagnostic code, what is wrong, and where (a JSON pointer such
/// as /States/X/Next; null when there is no place to point at, e.g. text that is not JSON). CreateStateMachine renders
/// the problems into one InvalidDefinition message; ValidateStateMachineDefinition answers them as diagnostics.
/// </summary>
public sealed record DefinitionProblem(string Code, string Message, string? Location)
{
    // The codes of the model's ValidateStateMachineDefinitionDiagnostic list that this endpoint's validator can tell apart.
    public const string SchemaValidationFailed = "SCHEMA_VALIDATION_FAILED";
    public const string InvalidJson = "INVALID_JSON_DESCRIPTION";
    public const string MissingTransitionTarget = "MISSING_TRANSITION_TARGET";
    public const string DuplicateStateName = "DUPLICATE_STATE_NAME";
    public const string InvalidStateName = "INVALID_STATE_NAME";

    /// <summary>AWS's form inside an InvalidDefinition message: "CODE: message at /pointer".</summary>
    public override string ToString() => Location is null ? $"{Code}: {Message}" : $"{Code}: {Message} at {Location}";

    /// <summary>The whole InvalidDefinition message: AWS joins several problems with ", " inside the quotes.</summary>
    public static string InvalidDefinitionMessage(IEnumerable<DefinitionProblem> problems) =>
        $"Invalid State Machine Definition: '{string.Join(", ", problems.Select(p => p.ToString()))}'";
}
