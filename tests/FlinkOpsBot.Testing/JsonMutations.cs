using System.Text.Json.Nodes;

namespace FlinkOpsBot.Testing;

/// <summary>Edits of a JSON document at a dotted path (<c>value.action.verb</c>, <c>actions.0.value</c>), for property tests that bend real payloads.</summary>
public static class JsonMutations
{
    /// <summary>The replacement that removes the member (or array element) instead of setting it; a marker, never called.</summary>
    public static readonly Func<JsonNode?> Remove = () => throw new InvalidOperationException("Remove is a marker; it is never called.");

    /// <summary>
    /// Sets the node at <paramref name="path"/> to a fresh <paramref name="replacement"/> (appending when an array index
    /// is past the end), or removes it for <see cref="Remove"/>; does nothing when the parent does not exist.
    /// </summary>
    /// <returns><paramref name="root"/>, changed in place.</returns>
    public static JsonObject Apply(JsonObject root, IReadOnlyList<string> path, Func<JsonNode?> replacement)
    {
        JsonNode? parent = root;
        foreach (var step in path.Take(path.Count - 1))
        {
            parent = parent switch
            {
                JsonArray a => int.TryParse(step, out var i) && i >= 0 && i < a.Count ? a[i] : null,
                JsonObject o => o[step],
                _ => null,
            };
        }
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when replacement == Remove:
                o.Remove(last);
                break;
            case JsonObject o:
                o[last] = replacement();
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0:
                if (replacement == Remove)
                {
                    if (i < a.Count) a.RemoveAt(i);
                }
                else if (i < a.Count) a[i] = replacement();
                else a.Add(replacement());
                break;
        }
        return root;
    }
}
