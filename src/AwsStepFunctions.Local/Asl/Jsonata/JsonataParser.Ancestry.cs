using System.Collections.Generic;

namespace AwsStepFunctions.Local.Asl.Jsonata;

// The parent operator '%' is resolved while the tree is built, the way the reference does it after parsing: each
// construct passes the '%' slots of its parts up to itself, and when a path gains a step, the slots of that step walk
// back over the earlier steps (one level per step, '%.%' two) until they reach the step whose input is the parent.
// That step then runs as a tuple stream and remembers its input under the slot's label. Constructs that the reference
// does not pass slots through (lambda bodies, '~>', transforms, grouping objects) leave a '%' inside them unresolved:
// it evaluates to nothing there, as in the reference.
internal sealed partial class JsonataParser
{
    // Only parsing needs to know which slots a node still carries, so they are kept beside the tree.
    private readonly Dictionary<JsonataNode, List<ParentSlot>> seekingParent = new(ReferenceEqualityComparer.Instance);
    // Labels are numbered as the reference numbers them ("!0", "!1", ...): they show where its tuples leak out.
    private int parentCount;

    private ParentNode NewParent(Token token) => new(token.Position, new ParentSlot($"!{parentCount++}", token.Position));

    /// <summary>The slots that <paramref name="part"/> carries become <paramref name="node"/>'s too.</summary>
    private T WithAncestryOf<T>(T node, JsonataNode part) where T : JsonataNode
    {
        var hasSlots = seekingParent.TryGetValue(part, out var slots);
        if (!hasSlots && part is not ParentNode) return node;
        var carried = SlotsOf(node);
        if (hasSlots) carried.AddRange(slots!);
        if (part is ParentNode parent) carried.Add(parent.Slot);
        return node;
    }

    private List<ParentSlot> SlotsOf(JsonataNode node)
    {
        if (!seekingParent.TryGetValue(node, out var slots)) seekingParent[node] = slots = [];
        return slots;
    }

    /// <summary>A path made around <paramref name="left"/>: a bare '%' keeps looking from the new path.</summary>
    private void InheritParentSearch(PathNode path, JsonataNode left)
    {
        if (left is ParentNode parent) SlotsOf(path).Add(parent.Slot);
        else if (left is PathNode && seekingParent.TryGetValue(left, out var slots)) SlotsOf(path).AddRange(slots);
    }

    /// <summary>
    /// A '%' in a predicate is the parent of the items the predicate tests, which is the input of the step it is
    /// written on; a '%.%' keeps looking from there once the step is part of a path.
    /// </summary>
    private void SeekParentsOfPredicate(JsonataNode step, JsonataNode predicate)
    {
        if (!seekingParent.TryGetValue(predicate, out var slots)) return;
        foreach (var slot in slots)
        {
            if (slot.Level == 1) SeekParent(step, slot);
            else slot.Level--;
        }
        WithAncestryOf(step, predicate);
    }

    /// <summary>The slots of a path's newest step look back over the earlier steps; what is left, the path carries.</summary>
    private void ResolveAncestry(PathNode path)
    {
        var last = path.Steps[^1];
        var slots = seekingParent.TryGetValue(last, out var carried) ? new List<ParentSlot>(carried) : [];
        if (last is ParentNode parent) slots.Add(parent.Slot);
        foreach (var slot in slots)
        {
            var index = path.Steps.Count - 2;
            while (slot.Level > 0)
            {
                if (index < 0)
                {
                    SlotsOf(path).Add(slot);
                    break;
                }
                var step = path.Steps[index--];
                // Steps that bind the focus leave the context where it was, so a run of them counts as one.
                while (index >= 0 && !string.IsNullOrEmpty(step.Focus) && !string.IsNullOrEmpty(path.Steps[index].Focus)) step = path.Steps[index--];
                SeekParent(step, slot);
            }
        }
    }

    private static void SeekParent(JsonataNode node, ParentSlot slot)
    {
        switch (node)
        {
            case NameNode or WildcardNode:
                if (--slot.Level > 0) return;
                // Two '%' that reach the same step share its label, so the step remembers its input once.
                if (node.Ancestor is { } existing) slot.Label = existing.Label;
                node.Ancestor = slot;
                node.IsTuple = true;
                return;
            case ParentNode:
                slot.Level++;
                return;
            case BlockNode block:
                if (block.Expressions.Count == 0) return;
                block.IsTuple = true;
                SeekParent(block.Expressions[^1], slot);
                return;
            case PathNode path:
                path.IsTuple = true;
                for (var index = path.Steps.Count - 1; index >= 0 && (index == path.Steps.Count - 1 || slot.Level > 0); index--)
                    SeekParent(path.Steps[index], slot);
                return;
            default:
                throw CannotDeriveParent(slot.Position);
        }
    }

    /// <summary>A '%' with nothing before it to be the parent of, such as <c>%</c> alone or <c>$.%</c>.</summary>
    private void RefuseUnresolvedParent(JsonataNode root)
    {
        if (root is ParentNode parent) throw CannotDeriveParent(parent.Slot.Position);
        if (seekingParent.TryGetValue(root, out var slots)) throw CannotDeriveParent(slots.Count > 0 ? slots[0].Position : root.Position);
    }

    private static JsonataSyntaxException CannotDeriveParent(int position) =>
        JsonataSyntaxException.Reference("S0217", position);
}
