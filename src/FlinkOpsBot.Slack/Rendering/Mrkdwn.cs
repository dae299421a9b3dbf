using System.Text;
using System.Text.RegularExpressions;

namespace FlinkOpsBot.Slack.Rendering;

/// <summary>
/// Slack text helpers. Dynamic text in mrkdwn is escaped per Slack's rules (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>),
/// except user mentions (<c>&lt;@U024BE7LH&gt;</c>), which Core writes for Slack actors and Slack must still see as
/// mentions; anything else in angle brackets (<c>&lt;!channel&gt;</c>, links) is shown as typed, never interpreted.
/// </summary>
internal static partial class Mrkdwn
{
    private const string Ellipsis = "…";

    /// <summary>The longest escape or mention a cut must not split: <c>&amp;amp;</c> or <c>&lt;@W0123456789ABCDEFGH&gt;</c>.</summary>
    private const int LongestToken = 24;

    /// <summary>Escapes <paramref name="text"/> for a mrkdwn field, keeping user mentions.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        var at = 0;
        foreach (var mention in UserMention().EnumerateMatches(text))
        {
            AppendEscaped(escaped, text.AsSpan(at, mention.Index - at));
            escaped.Append(text, mention.Index, mention.Length);
            at = mention.Index + mention.Length;
        }
        AppendEscaped(escaped, text.AsSpan(at));
        return escaped.ToString();
    }

    /// <summary>
    /// Escaped mrkdwn cut to at most <paramref name="max"/> characters, ending in "…" when cut. The cut never splits
    /// an escape (<c>&amp;amp;</c>), a mention or a surrogate pair.
    /// </summary>
    public static string Truncate(string escaped, int max)
    {
        if (escaped.Length <= max) return escaped;
        var cut = max - Ellipsis.Length;
        var window = Math.Min(cut, LongestToken);
        var open = escaped.LastIndexOfAny(['&', '<'], cut - 1, window);
        if (open >= 0 && escaped.IndexOfAny([';', '>'], open, cut - open) < 0) cut = open;
        return Cut(escaped, cut);
    }

    /// <summary>Plain text cut to at most <paramref name="max"/> characters, ending in "…" when cut.</summary>
    public static string TruncatePlain(string text, int max) =>
        text.Length <= max ? text : Cut(text, max - Ellipsis.Length);

    private static string Cut(string text, int length)
    {
        if (length > 0 && char.IsHighSurrogate(text[length - 1])) length--;
        return string.Concat(text.AsSpan(0, length), Ellipsis);
    }

    private static void AppendEscaped(StringBuilder builder, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                default: builder.Append(c); break;
            }
        }
    }

    [GeneratedRegex("<@[UW][A-Z0-9]+>", RegexOptions.CultureInvariant)]
    private static partial Regex UserMention();
}
