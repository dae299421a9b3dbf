using System.Text.RegularExpressions;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// Turns a message's text into the command the person typed: the bot's own mention removed exactly as botbuilder's
/// <c>RemoveMentionText(recipient.id)</c> does, then an optional <c>/flink</c> prefix.
/// </summary>
internal static class MentionText
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// For each <c>mention</c> entity whose <c>mentioned.id</c> is <paramref name="botId"/>, removes its <c>text</c> (or
    /// <c>&lt;at&gt;{mentioned.name}&lt;/at&gt;</c> when it has none) case-insensitively, and trims; other mentions stay.
    /// Text without such an entity is only trimmed. Never throws.
    /// </summary>
    public static string RemoveMention(string? text, IReadOnlyList<Entity>? entities, string? botId)
    {
        var result = text ?? "";
        if (entities is null || string.IsNullOrEmpty(botId)) return result.Trim();
        foreach (var mention in entities)
        {
            if (!string.Equals(mention?.Type, Entity.MentionType, StringComparison.OrdinalIgnoreCase)) continue;
            if (mention!.Mentioned?.Id != botId) continue;
            var mentionText = mention.Text ?? (mention.Mentioned.Name is { } name ? $"<at>{name}</at>" : null);
            if (string.IsNullOrEmpty(mentionText)) continue;
            try
            {
                result = Regex.Replace(result, Regex.Escape(mentionText), string.Empty, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout).Trim();
            }
            catch (RegexMatchTimeoutException)
            {
                // An adversarial text: leave it as it is; the command parser will not understand it.
            }
        }
        return result.Trim();
    }

    /// <summary>Removes a leading <c>/flink</c> (any case) when it is the whole first word, and trims.</summary>
    public static string RemoveCommandPrefix(string text)
    {
        const string Prefix = "/flink";
        var trimmed = text.Trim();
        if (!trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return trimmed;
        if (trimmed.Length == Prefix.Length) return "";
        return char.IsWhiteSpace(trimmed[Prefix.Length]) ? trimmed[Prefix.Length..].Trim() : trimmed;
    }

    /// <summary>The command in a message: the bot mention and an optional <c>/flink</c> removed.</summary>
    public static string CommandText(Activity activity) =>
        RemoveCommandPrefix(RemoveMention(activity.Text, activity.Entities, activity.Recipient?.Id));
}
