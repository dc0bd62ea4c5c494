using System.Linq;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

// ValidateStateMachineDefinition: the check CreateStateMachine makes, answered as diagnostics instead of an error.
public sealed partial class StepFunctionsService
{
    /// <summary>
    /// Runs <see cref="CheckDefinition"/> (the very check CreateStateMachine and UpdateStateMachine make) and answers 200:
    /// "OK" with no diagnostics for a definition they would accept, "FAIL" with one ERROR diagnostic per problem for one
    /// they would refuse. Only a malformed request (members, lengths, enum values) is an error, a ValidationException.
    /// </summary>
    private static JsonObject ValidateStateMachineDefinition(JsonMembers m)
    {
        var definition = m.RequiredString("definition");
        var type = m.String("type") ?? "STANDARD";
        // The model: "The default is ERROR", which returns only ERROR diagnostics.
        var severity = m.String("severity") ?? "ERROR";
        if (type is not ("STANDARD" or "EXPRESS"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        if (severity is not ("ERROR" or "WARNING"))
            throw AwsApiException.Validation($"1 validation error detected: Value '{severity}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]");
        // 0 or absent means the default and maximum, 100.
        var maxResults = m.PageSize("maxResults", max: 100);
        RequireDefinitionLength(definition);

        var problems = ProblemsOf(definition, type);
        // Every problem the validator finds is an ERROR (it finds no WARNING kind), so either severity keeps them all.
        var diagnostics = problems.Take(maxResults).Select(p => (JsonNode)Diagnostic(p)).ToArray();
        return new JsonObject
        {
            ["result"] = problems.Count == 0 ? "OK" : "FAIL",
            ["diagnostics"] = new JsonArray(diagnostics),
            ["truncated"] = problems.Count > maxResults,
        };
    }

    private static System.Collections.Generic.IReadOnlyList<DefinitionProblem> ProblemsOf(string definition, string type)
    {
        try
        {
            CheckDefinition(definition, type);
            return [];
        }
        catch (AslDefinitionException ex)
        {
            return ex.Problems;
        }
    }

    private static JsonObject Diagnostic(DefinitionProblem problem)
    {
        var diagnostic = new JsonObject { ["severity"] = "ERROR", ["code"] = problem.Code, ["message"] = problem.Message };
        // The model's location is optional ("if available"): AWS leaves it out when there is no place to point at.
        if (problem.Location is not null) diagnostic["location"] = problem.Location;
        return diagnostic;
    }
}
