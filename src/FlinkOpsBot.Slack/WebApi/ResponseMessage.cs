namespace FlinkOpsBot.Slack.WebApi;

/// <summary>
/// A message in an HTTP answer to a slash command, or POSTed to a request's <c>response_url</c>
/// (docs: "Handling user interaction").
/// </summary>
/// <param name="ResponseType"><see cref="Ephemeral"/> (only the person who acted sees it) or <see cref="InChannel"/>.</param>
/// <param name="Text">The text, in escaped mrkdwn; none in an acknowledgement that only shows the command.</param>
/// <param name="ReplaceOriginal">False keeps the message that carried the button.</param>
internal sealed record ResponseMessage(string ResponseType, string? Text = null, bool? ReplaceOriginal = null)
{
    public const string Ephemeral = "ephemeral";
    public const string InChannel = "in_channel";
}
