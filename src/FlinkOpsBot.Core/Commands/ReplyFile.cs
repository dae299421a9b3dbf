namespace FlinkOpsBot.Core.Commands;

/// <summary>A file that goes with a <see cref="CommandReply"/>, e.g. a timeline export for the post-mortem.</summary>
/// <param name="FileName">The file's name, e.g. <c>timeline-INC-4F2K.md</c>.</param>
/// <param name="ContentType">Its media type, e.g. <c>text/markdown; charset=utf-8</c>.</param>
/// <param name="Title">A one-line title for chat, e.g. <c>Timeline of INC-4F2K (Markdown)</c>.</param>
/// <param name="Content">The file's text (UTF-8 when sent).</param>
/// <param name="Link">
/// Where the same content can be fetched over HTTP by an authorized caller (the timeline export endpoint), when the
/// host knows its public address; null otherwise.
/// </param>
public sealed record ReplyFile(string FileName, string ContentType, string Title, string Content, Uri? Link = null);
