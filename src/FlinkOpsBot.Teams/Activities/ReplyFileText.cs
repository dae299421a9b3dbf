using System.Text;
using FlinkOpsBot.Core.Commands;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>
/// How a reply's file (a timeline export) reaches Teams. Teams lets a bot send a file only in personal chat (the
/// file consent card of the Teams bot APIs); in channels and group chats a file needs Microsoft Graph with delegated
/// access to SharePoint or OneDrive. So the bot sends the file's text inline, Markdown as Markdown and JSON in a code
/// block, cut to <see cref="MaxInlineChars"/>, with the link to the HTTP export (when the host knows its address) for
/// the whole file.
/// </summary>
internal static class ReplyFileText
{
    /// <summary>The most of a file shown inline, in UTF-16 code units: well inside Teams' message size limit (about 28 KB).</summary>
    public const int MaxInlineChars = 20_000;

    /// <summary>The reply's text followed by the file inline (cut at a line break when too long) and the link, if any.</summary>
    public static string Inline(string replyText, ReplyFile file)
    {
        var isJson = file.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        var content = file.Content;
        var cut = content.Length > MaxInlineChars;
        if (cut)
        {
            var end = content.LastIndexOf('\n', MaxInlineChars - 1);
            content = content[..(end > 0 ? end : MaxInlineChars)];
        }
        var text = new StringBuilder(replyText);
        text.Append("\n\n**").Append(file.Title).Append("** (").Append(file.FileName).Append(")\n\n");
        if (isJson) text.Append("```json\n").Append(content.TrimEnd()).Append("\n```\n");
        else text.Append(content.TrimEnd()).Append('\n');
        if (cut) text.Append("\n…cut here: the whole file is ").Append(file.Content.Length).Append(" characters.");
        text.Append(file.Link is { } link
            ? $"\nThe whole file over HTTP (with the export token): {link}"
            : cut ? "\nAsk whoever runs the bot for the whole file from its HTTP export (GET /api/timeline/{id})." : "");
        return text.ToString().TrimEnd();
    }
}
