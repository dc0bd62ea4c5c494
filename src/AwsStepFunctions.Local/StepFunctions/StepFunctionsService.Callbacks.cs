using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AwsStepFunctions.Local.Asl;
using AwsStepFunctions.Local.Wire;

namespace AwsStepFunctions.Local.StepFunctions;

// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: the callback pattern. A .waitForTaskToken Task that the mock
// config does not answer waits for one of these with the token its context showed ($$.Task.Token).
public sealed partial class StepFunctionsService
{
    private JsonObject SendTaskSuccess(JsonMembers m)
    {
        var token = RequireToken(m);
        var text = m.RequiredString("output");
        // The model counts this limit in UTF-8 bytes, as StartExecution's input.
        if (Encoding.UTF8.GetByteCount(text) > MaxInputBytes) throw TooLong("output", MaxInputBytes);
        var output = ServiceJson.Parse(text, reason => new AwsApiException("InvalidOutput", $"Invalid Output: '{reason}'"));
        Answer(Callbacks.Succeed(token, output));
        return new JsonObject();
    }

    private JsonObject SendTaskFailure(JsonMembers m)
    {
        var token = RequireToken(m);
        var error = m.String("error");
        var cause = m.String("cause");
        if (error is { Length: > 256 }) throw TooLong("error", 256);
        if (cause is { Length: > 32768 }) throw TooLong("cause", 32768);
        Answer(Callbacks.Fail(token, error, cause));
        return new JsonObject();
    }

    private JsonObject SendTaskHeartbeat(JsonMembers m)
    {
        Answer(Callbacks.Heartbeat(RequireToken(m)));
        return new JsonObject();
    }

    private TaskCallbacks Callbacks => engine.Callbacks ?? throw new InvalidOperationException("The endpoint was built without a callback registry");

    /// <summary>
    /// The model's 1-2048 characters (botocore's model since July 2024; older clients, such as Debian's AWS CLI 2.9, still
    /// check 1,024 themselves); what the token stands for is the registry's to say.
    /// </summary>
    private static string RequireToken(JsonMembers m)
    {
        var token = m.RequiredString("taskToken");
        if (token.Length == 0)
            throw AwsApiException.Validation("1 validation error detected: Value '' at 'taskToken' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (token.Length > 2048) throw TooLong("taskToken", 2048);
        return token;
    }

    /// <summary>
    /// The registry's answer as the service's error. "Task Timed Out: 'Provided task does not exist anymore'" is what AWS
    /// answers for a task that has ended (answered before, timed out or stopped); the other two messages are ours.
    /// </summary>
    private static void Answer(CallbackAnswer answer)
    {
        switch (answer)
        {
            case CallbackAnswer.InvalidToken: throw new AwsApiException("InvalidToken", "Invalid Token: 'Invalid token'");
            case CallbackAnswer.TaskDoesNotExist: throw new AwsApiException("TaskDoesNotExist", "Task Does Not Exist: 'No task is waiting for this token'");
            case CallbackAnswer.TaskTimedOut: throw new AwsApiException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
    }

    /// <summary>The value is not echoed (unlike a tag's): the model marks output, error and cause sensitive.</summary>
    private static AwsApiException TooLong(string member, int max) =>
        AwsApiException.Validation($"1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
}
