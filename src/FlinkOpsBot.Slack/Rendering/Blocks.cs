using System.Text.Json.Serialization;

namespace FlinkOpsBot.Slack.Rendering;

/// <summary>A Block Kit layout block (docs: "Blocks"), written with its <c>type</c>.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
internal abstract record Block;

/// <summary>Large bold text; <c>plain_text</c> only, at most 150 characters.</summary>
internal sealed record HeaderBlock(TextObject Text) : Block;

/// <summary>Text (at most 3000 characters) and/or up to 10 fields (each at most 2000) shown in two columns.</summary>
internal sealed record SectionBlock(TextObject? Text = null, IReadOnlyList<TextObject>? Fields = null) : Block;

/// <summary>Small grey text; up to 10 elements.</summary>
internal sealed record ContextBlock(IReadOnlyList<TextObject> Elements) : Block;

/// <summary>Interactive elements; up to 25.</summary>
internal sealed record ActionsBlock(IReadOnlyList<ButtonElement> Elements) : Block;

/// <summary>A text object: <c>plain_text</c> (shown as is) or <c>mrkdwn</c> (Slack's markup; escape dynamic text).</summary>
internal sealed record TextObject(string Type, string Text)
{
    public static TextObject Plain(string text) => new("plain_text", text);

    public static TextObject Mrkdwn(string text) => new("mrkdwn", text);
}

/// <summary>A button; a click sends a block_actions payload with its <c>action_id</c> and <c>value</c>.</summary>
internal sealed record ButtonElement(TextObject Text, string ActionId, string Value, string? Style = null, ConfirmDialog? Confirm = null)
{
    [JsonPropertyOrder(-1)]
    public string Type => "button";
}

/// <summary>The "are you sure?" dialog of a button: title ≤100, text ≤300, confirm and deny ≤30 characters.</summary>
internal sealed record ConfirmDialog(TextObject Title, TextObject Text, TextObject Confirm, TextObject Deny);
