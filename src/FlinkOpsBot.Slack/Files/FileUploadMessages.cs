namespace FlinkOpsBot.Slack.Files;

/// <summary>The answer of <c>files.getUploadURLExternal</c>: <c>{ok, error, upload_url, file_id}</c>.</summary>
internal sealed record UploadUrlResponse(bool Ok, string? Error = null, string? UploadUrl = null, string? FileId = null);

/// <summary>One file of <c>files.completeUploadExternal</c>: its id and title.</summary>
internal sealed record CompletedFile(string Id, string? Title = null);

/// <summary>
/// Arguments of <c>files.completeUploadExternal</c>: the uploaded files, shared to <see cref="ChannelId"/> (in the
/// thread <see cref="ThreadTs"/> when set) with <see cref="InitialComment"/> as the message that introduces them.
/// </summary>
internal sealed record CompleteUploadRequest(IReadOnlyList<CompletedFile> Files, string ChannelId, string? ThreadTs = null, string? InitialComment = null);
