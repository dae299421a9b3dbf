using System.Text.Json.Nodes;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>
/// Small builders for the Adaptive Card 1.5 elements the run card uses, so that renderers compose elements rather than
/// spell property names. Values are the schema's (<c>microsoft/AdaptiveCards schemas/1.5.0/adaptive-card.json</c>).
/// </summary>
/// <remarks>
/// <see cref="TextBlock"/> text is Markdown (a subset: bold, italic, lists, links) and is only given fixed strings;
/// text that comes from a run goes into <see cref="RichText"/> as <see cref="Run"/>s, which the schema defines as plain
/// text ("Markdown is not supported"), so an evidence line such as <c>*_[x](y)</c> shows as written on every client.
/// </remarks>
internal static class AdaptiveElements
{
    /// <summary>The <c>$schema</c> identifier Teams expects (not fetched).</summary>
    public const string SchemaUri = "http://adaptivecards.io/schemas/adaptive-card.json";

    /// <summary>The card version: Universal Actions need 1.4 (Adaptive Cards docs) or 1.5 (Teams docs).</summary>
    public const string CardVersion = "1.5";

    /// <summary>A wrapping <c>TextBlock</c> for fixed (trusted) Markdown text such as a heading.</summary>
    public static JsonObject TextBlock(string text, string? color = null, string? weight = null, string? size = null, bool subtle = false, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (color is not null) block["color"] = color;
        if (weight is not null) block["weight"] = weight;
        if (size is not null) block["size"] = size;
        if (subtle) block["isSubtle"] = true;
        if (separator) block["separator"] = true;
        return block;
    }

    /// <summary>A <c>RichTextBlock</c> (always wraps) of plain-text runs: one line of a list.</summary>
    public static JsonObject RichText(params IEnumerable<JsonObject> runs) =>
        new() { ["type"] = "RichTextBlock", ["inlines"] = Items(runs) };

    /// <summary>A plain-text <c>TextRun</c>; no Markdown is applied to <paramref name="text"/>.</summary>
    public static JsonObject Run(string text, TextStyle style = default)
    {
        var run = new JsonObject { ["type"] = "TextRun", ["text"] = text };
        if (style.Color is not null) run["color"] = style.Color;
        if (style.Weight is not null) run["weight"] = style.Weight;
        if (style.Size is not null) run["size"] = style.Size;
        if (style.Subtle) run["isSubtle"] = true;
        if (style.Italic) run["italic"] = true;
        if (style.Monospace) run["fontType"] = "monospace";
        return run;
    }

    /// <summary>A <c>Container</c> of <paramref name="items"/>; <paramref name="style"/> is a container style such as <c>attention</c>.</summary>
    public static JsonObject Container(IEnumerable<JsonNode> items, bool separator = false, string? style = null, string? spacing = null)
    {
        var container = new JsonObject { ["type"] = "Container", ["items"] = Items(items) };
        if (separator) container["separator"] = true;
        if (style is not null) container["style"] = style;
        if (spacing is not null) container["spacing"] = spacing;
        return container;
    }

    /// <summary>A <c>FactSet</c>; titles and values are Markdown in Teams, so callers pass escaped text.</summary>
    public static JsonObject FactSet(IEnumerable<(string Title, string Value)> facts) => new()
    {
        ["type"] = "FactSet",
        ["facts"] = Items(facts.Select(f => new JsonObject { ["title"] = f.Title, ["value"] = f.Value })),
    };

    /// <summary>An <c>ActionSet</c> in the body (where an action's <c>fallback</c> reaches older Teams clients).</summary>
    public static JsonObject ActionSet(params IEnumerable<JsonObject> actions) =>
        new() { ["type"] = "ActionSet", ["actions"] = Items(actions) };

    /// <summary>An <c>Action.Execute</c> (Universal Actions: Teams sends an <c>adaptiveCard/action</c> invoke).</summary>
    public static JsonObject Execute(string verb, JsonObject data, string? title = null, string? style = null, JsonObject? fallback = null)
    {
        var action = new JsonObject { ["type"] = "Action.Execute" };
        if (title is not null) action["title"] = title;
        action["verb"] = verb;
        action["data"] = data;
        if (style is not null) action["style"] = style;
        if (fallback is not null) action["fallback"] = fallback;
        return action;
    }

    /// <summary>An <c>Action.Submit</c> (Teams posts a <c>message</c> activity whose <c>value</c> is <paramref name="data"/>).</summary>
    public static JsonObject Submit(string title, JsonObject data, string? style = null)
    {
        var action = new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = data };
        if (style is not null) action["style"] = style;
        return action;
    }

    /// <summary>
    /// A card <c>refresh</c>: <paramref name="action"/> runs automatically for <paramref name="userIds"/> (Teams MRIs),
    /// for everyone in conversations of up to 60 members when null, and only from the "Refresh card" menu when empty.
    /// </summary>
    public static JsonObject Refresh(JsonObject action, IEnumerable<string>? userIds)
    {
        var refresh = new JsonObject { ["action"] = action };
        if (userIds is not null) refresh["userIds"] = Items(userIds.Select(id => (JsonNode)JsonValue.Create(id)));
        return refresh;
    }

    /// <summary>A JSON array of <paramref name="items"/> (which must not have a parent yet).</summary>
    public static JsonArray Items(IEnumerable<JsonNode> items) => [.. items];
}

/// <summary>How a <see cref="AdaptiveElements.Run"/> looks; null leaves the host's default.</summary>
/// <param name="Color">A schema colour: <c>default</c>, <c>good</c>, <c>warning</c>, <c>attention</c>, <c>accent</c>.</param>
/// <param name="Weight"><c>bolder</c>, <c>lighter</c> or <c>default</c>.</param>
/// <param name="Size"><c>small</c>, <c>medium</c>, <c>large</c>, …</param>
/// <param name="Subtle">Toned down.</param>
/// <param name="Italic">Italic.</param>
/// <param name="Monospace">Monospace font, for something to type.</param>
internal readonly record struct TextStyle(string? Color = null, string? Weight = null, string? Size = null, bool Subtle = false, bool Italic = false, bool Monospace = false)
{
    /// <summary>Bold text.</summary>
    public static TextStyle Bold { get; } = new(Weight: "bolder");

    /// <summary>Toned-down text.</summary>
    public static TextStyle Muted { get; } = new(Subtle: true);
}
