using System.Text.Json.Nodes;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Teams.Tests.Cards;

/// <summary>Reading rendered Adaptive Cards in tests.</summary>
internal static class CardJson
{
    public static string SchemaFile { get; } = Path.Combine(RepoPaths.Specs, "adaptive-cards", "adaptive-card-1.5.0.json");

    /// <summary>Fails unless the card, without its Teams-only root key <c>msteams</c>, is a valid Adaptive Card 1.5.</summary>
    public static void AssertValid(JsonObject card)
    {
        var copy = card.DeepClone().AsObject();
        Assert.True(copy.Remove("msteams"), "every card carries msteams");
        JsonSchemaAssert.Valid(SchemaFile, copy.ToJsonString());
    }

    /// <summary>Every object in the card (depth first) whose <c>type</c> is <paramref name="type"/>.</summary>
    public static List<JsonObject> OfType(JsonNode card, string type) =>
        [.. Objects(card).Where(o => o["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)o["type"] == type)];

    /// <summary>The body's elements, outside the <c>refresh</c>.</summary>
    public static JsonArray Body(JsonObject card) => card["body"]!.AsArray();

    /// <summary>All text the body shows: TextBlock texts, TextRun texts and facts, one per line.</summary>
    public static string Text(JsonObject card) => string.Join('\n', Objects(Body(card)).SelectMany(o => o switch
    {
        _ when (string?)o["type"] is "TextBlock" or "TextRun" => [(string)o["text"]!],
        _ when o["title"] is not null && o["value"] is not null && o["type"] is null => [$"{o["title"]}: {o["value"]}"],
        _ => Array.Empty<string>(),
    }));

    private static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, child) in obj)
                {
                    foreach (var inner in Objects(child)) yield return inner;
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var inner in Objects(child)) yield return inner;
                }
                break;
        }
    }
}
