namespace FlinkOpsBot.Slack;

/// <summary>
/// How the bot talks to one Slack app over HTTP (not Socket Mode). Bound from the configuration section
/// <see cref="SectionName"/> by <see cref="SlackServiceCollectionExtensions.AddSlack"/> and validated at start; the host
/// calls <c>AddSlack</c> only when Slack is enabled, so the secrets are required whenever these options exist.
/// Secrets are never defaulted and never logged.
/// </summary>
public sealed class SlackOptions
{
    /// <summary>The configuration section the host binds: <c>Slack</c>.</summary>
    public const string SectionName = "Slack";

    /// <summary>
    /// The app's Signing Secret (Slack: Basic Information → App Credentials). Every inbound request is verified with
    /// it (HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>). Required.
    /// </summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The bot token, <c>xoxb-…</c> (Slack: OAuth &amp; Permissions), sent as a Bearer token to the Web API. Required.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>
    /// The Web API's base address; a method name is appended to it (<c>chat.postMessage</c>). Default
    /// <c>https://slack.com/api/</c>; an absolute http(s) URL ending in <c>/</c>. Tests point it at a local fake.
    /// </summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// The app id (<c>A…</c>, Slack: Basic Information → App Credentials). When set, signed requests whose
    /// <c>api_app_id</c> differs are refused with 403. Optional.
    /// </summary>
    public string? AppId { get; set; }

    /// <summary>
    /// How long a slash command or button click may take before the bot acknowledges it and answers later through
    /// the request's <c>response_url</c>. Slack shows an error when no acknowledgement arrives within 3 seconds.
    /// Default 2.5 seconds; more than zero and less than 3 seconds.
    /// </summary>
    public TimeSpan AckBudget { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>True when a signed request naming <paramref name="apiAppId"/> is meant for this app.</summary>
    internal bool AcceptsApp(string? apiAppId) =>
        string.IsNullOrEmpty(AppId) || string.Equals(AppId, apiAppId, StringComparison.Ordinal);
}
