using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// What a Task state's call is made with, as its Scheduled event reports it: the parameters (Parameters or Arguments),
/// TimeoutSeconds and HeartbeatSeconds (literal, or read when the state runs), and the role named in Credentials that the
/// service would assume for the call (this endpoint calls nothing, so it is only reported).
/// </summary>
internal sealed record TaskCall(JsonNode? Parameters, long? TimeoutSeconds, long? HeartbeatSeconds, string? RoleArn);
