using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using AwsStepFunctions.Local.Asl.Json;

namespace AwsStepFunctions.Local.Asl;

/// <summary>
/// Where one block (the machine's own, a Parallel branch, a Map iteration) has got to, so a redrive can resume inside an
/// inline Parallel or Map: only its failed or aborted branches and iterations run again, each from the state it stopped
/// in. Written by the block's own run; read by Stop or the timeout from another thread (each write replaces a reference).
/// </summary>
internal sealed class BlockProgress
{
    private volatile Position? _current;

    private sealed class Position(string stateName, string input, string? variables)
    {
        private volatile ChildrenProgress? _children;

        public ChildrenProgress? Children
        {
            get => _children;
            set => _children = value;
        }

        public ResumePoint Snapshot(IReadOnlyDictionary<string, int> invocations) =>
            new(stateName, input, invocations) { Variables = variables, Branches = _children?.Snapshot() };
    }

    /// <summary>The block entered <paramref name="stateName"/> with this input and these (own) variables.</summary>
    public void Enter(string stateName, string input, string? variables) => _current = new Position(stateName, input, variables);

    /// <summary>The state now running is a Parallel or inline Map starting <paramref name="count"/> branches/iterations (again, on a retry).</summary>
    public ChildrenProgress StartChildren(int count)
    {
        var children = new ChildrenProgress(count);
        if (_current is { } at) at.Children = children;
        return children;
    }

    /// <summary>Where a redrive of this block resumes; null when it entered no state.</summary>
    public ResumePoint? Snapshot(IReadOnlyDictionary<string, int> invocations) => _current?.Snapshot(invocations);
}

/// <summary>The branches or iterations of one Parallel or inline Map run: the outputs of those that succeeded, the progress of the others.</summary>
internal sealed class ChildrenProgress(int count)
{
    private static readonly Dictionary<string, int> NoInvocations = new();

    private readonly string?[] _outputs = new string?[count];
    private readonly BlockProgress?[] _started = new BlockProgress?[count];

    public BlockProgress Start(int index)
    {
        var progress = new BlockProgress();
        Volatile.Write(ref _started[index], progress);
        return progress;
    }

    public void Succeeded(int index, JsonNode? output) => Volatile.Write(ref _outputs[index], JsonValues.Serialize(output));

    public IReadOnlyList<BranchResume?> Snapshot()
    {
        var result = new BranchResume?[_outputs.Length];
        for (var i = 0; i < result.Length; i++)
        {
            if (Volatile.Read(ref _outputs[i]) is { } output) result[i] = new BranchResume(output, null);
            // Mock invocation numbers are the execution's, carried by the top-level resume point only.
            else if (Volatile.Read(ref _started[i]) is { } started) result[i] = new BranchResume(null, started.Snapshot(NoInvocations));
        }
        return result;
    }
}

/// <summary>
/// How a redrive treats one branch or iteration: <see cref="Output"/> (JSON text) when it succeeded before (it keeps that
/// output and does not run); otherwise it resumes at <see cref="Resume"/> (null: it entered no state, and starts afresh).
/// </summary>
internal sealed record BranchResume(string? Output, ResumePoint? Resume);
