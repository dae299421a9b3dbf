using System.Text;

namespace FlinkOpsBot.Teams.Cards;

/// <summary>Text shaping for Adaptive Cards: truncation, list caps and Markdown escaping.</summary>
internal static class CardText
{
    private const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxChars"/> UTF-16 characters, ending in "…" when cut;
    /// never splits a surrogate pair.
    /// </summary>
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars) return text;
        var keep = Math.Max(0, maxChars - Ellipsis.Length);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    /// <summary>
    /// At most <paramref name="max"/> of <paramref name="items"/>, in their order, preferring those
    /// <paramref name="important"/> says matter (failures, the running step); <c>Omitted</c> counts the rest.
    /// </summary>
    public static (IReadOnlyList<T> Kept, int Omitted) Cap<T>(IReadOnlyList<T> items, int max, Func<T, bool>? important = null)
    {
        if (items.Count <= max) return (items, 0);
        var chosen = new SortedSet<int>();
        if (important is not null)
        {
            for (var i = 0; i < items.Count && chosen.Count < max; i++)
            {
                if (important(items[i])) chosen.Add(i);
            }
        }
        for (var i = 0; i < items.Count && chosen.Count < max; i++) chosen.Add(i);
        return ([.. chosen.Select(i => items[i])], items.Count - max);
    }

    /// <summary>
    /// <paramref name="text"/> with the Adaptive Card Markdown subset neutralised by backslash escapes: emphasis
    /// (<c>*</c>, <c>_</c>), links (<c>[</c>, <c>]</c>), the backslash itself, and a leading list marker
    /// (<c>-</c>, <c>+</c>, <c>1.</c>). Only for places that have no plain-text variant (a <c>FactSet</c>,
    /// <c>fallbackText</c>); elsewhere dynamic text goes into <c>TextRun</c>s, which are never Markdown.
    /// </summary>
    public static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        var digitsOnly = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var atLineStart = i == 0 || text[i - 1] == '\n';
            if (c is '\\' or '*' or '_' or '[' or ']' || (atLineStart && c is '-' or '+'))
            {
                escaped.Append('\\');
            }
            else if (c == '.' && digitsOnly && i > 0 && char.IsAsciiDigit(text[i - 1]))
            {
                escaped.Append('\\');
            }
            digitsOnly = (atLineStart || digitsOnly) && char.IsAsciiDigit(c);
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
