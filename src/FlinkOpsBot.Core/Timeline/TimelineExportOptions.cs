namespace FlinkOpsBot.Core.Timeline;

/// <summary>
/// The HTTP timeline export (<c>GET /api/timeline/{id}?format=md|json</c>), bound from the configuration section
/// <see cref="SectionName"/>. The endpoint is served only when <see cref="BearerToken"/> is set.
/// </summary>
public sealed class TimelineExportOptions
{
    /// <summary>The configuration section: <c>Timeline</c>.</summary>
    public const string SectionName = "Timeline";

    /// <summary>
    /// The secret a caller presents as <c>Authorization: Bearer …</c>; at least 32 characters. Unset (the default) means
    /// the endpoint is not served. Never logged.
    /// </summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// The host's public base address (e.g. <c>https://flinkops.example.com/</c>), so exports in chat can link to the
    /// HTTP export; unset leaves the link out.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
