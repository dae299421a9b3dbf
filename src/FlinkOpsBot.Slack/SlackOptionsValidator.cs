using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack;

/// <summary>Validates <see cref="SlackOptions"/> at start; each failure names the setting and says where to find its value.</summary>
internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    private static readonly TimeSpan SlackAckDeadline = TimeSpan.FromSeconds(3);

    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        var failures = new List<string>();
        const string Section = SlackOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            failures.Add($"{Section}:{nameof(SlackOptions.SigningSecret)} is required: the app's Signing Secret (Slack app settings → Basic Information → App Credentials).");
        }
        if (string.IsNullOrWhiteSpace(options.BotToken))
        {
            failures.Add($"{Section}:{nameof(SlackOptions.BotToken)} is required: the bot token, xoxb-… (Slack app settings → OAuth & Permissions).");
        }
        if (options.ApiBaseUrl is not { IsAbsoluteUri: true } url || url.Scheme is not ("https" or "http") || !url.AbsolutePath.EndsWith('/'))
        {
            failures.Add($"{Section}:{nameof(SlackOptions.ApiBaseUrl)} must be an absolute http(s) URL ending in '/', e.g. https://slack.com/api/.");
        }
        if (options.AckBudget <= TimeSpan.Zero || options.AckBudget >= SlackAckDeadline)
        {
            failures.Add($"{Section}:{nameof(SlackOptions.AckBudget)} must be more than zero and less than 3 seconds (Slack shows an error after 3 s); it is {options.AckBudget}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
