using System.Text.RegularExpressions;
using FlinkOpsBot.Core.Identity;

namespace FlinkOpsBot.Core.Authorization;

/// <summary>What kind of person or group a policy entry names.</summary>
public enum PrincipalKind
{
    /// <summary><c>*</c>, or a pattern with <c>*</c> matched against <see cref="Actor.Key"/> (e.g. <c>slack:T0001:*</c>, <c>local::*</c>).</summary>
    Pattern,
    /// <summary>One person: a Slack user id (<c>U…</c>/<c>W…</c>), an Entra object id, a local name, a UPN, or an identity key.</summary>
    Person,
    /// <summary>A group defined in the policy itself (<c>@flink-oncall-approvers</c>).</summary>
    NamedGroup,
    /// <summary>A Slack user group (<c>S0614TZR7</c> or <c>slack-group:S0614TZR7</c>); membership from <c>usergroups.users.list</c>.</summary>
    SlackGroup,
    /// <summary>An Entra ID group (<c>entra-group:&lt;object id&gt;</c>); membership from Microsoft Graph.</summary>
    EntraGroup,
}

/// <summary>
/// One entry of a policy's "who" list, parsed. Entries name verified identities only; a display name never matches.
/// </summary>
/// <param name="Text">The entry as configured.</param>
/// <param name="Kind">What it names.</param>
/// <param name="Id">The id inside the entry: the group name without <c>@</c>, the Slack or Entra group id, or <see cref="Text"/>.</param>
public sealed partial record Principal(string Text, PrincipalKind Kind, string Id)
{
    /// <summary>The platform name of Slack user groups.</summary>
    public const string SlackGroupPrefix = "slack-group:";

    /// <summary>The prefix of Entra ID groups.</summary>
    public const string EntraGroupPrefix = "entra-group:";

    /// <summary>Parses a configured entry; never throws (an unusual entry is a <see cref="PrincipalKind.Person"/> that matches nobody).</summary>
    public static Principal Parse(string text)
    {
        var t = text.Trim();
        if (t.Contains('*', StringComparison.Ordinal)) return new(t, PrincipalKind.Pattern, t);
        if (t.StartsWith('@') && t.Length > 1) return new(t, PrincipalKind.NamedGroup, t[1..]);
        if (t.StartsWith(SlackGroupPrefix, StringComparison.OrdinalIgnoreCase)) return new(t, PrincipalKind.SlackGroup, t[SlackGroupPrefix.Length..]);
        if (SlackGroupId().IsMatch(t)) return new(t, PrincipalKind.SlackGroup, t);
        if (t.StartsWith(EntraGroupPrefix, StringComparison.OrdinalIgnoreCase)) return new(t, PrincipalKind.EntraGroup, t[EntraGroupPrefix.Length..].ToLowerInvariant());
        return new(t, PrincipalKind.Person, t);
    }

    /// <summary>
    /// True when this entry names <paramref name="actor"/> directly: a pattern matching its key (<c>*</c> matches every
    /// verified person, never the bot itself), its platform id, <c>platform:id</c>, its key, or its verified UPN
    /// (case-insensitive). Groups are never direct matches.
    /// </summary>
    public bool MatchesDirectly(Actor actor)
    {
        if (actor.Platform == Actor.System.Platform) return false;
        return Kind switch
        {
            PrincipalKind.Pattern => Glob(Text, actor.Key),
            PrincipalKind.Person => Text == actor.Id || Text == actor.Key || Text == $"{actor.Platform}:{actor.Id}"
                || (actor.Upn is { } upn && Text.Contains('@', StringComparison.Ordinal) && string.Equals(Text, upn, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    /// <summary>How the entry reads in a refusal: <c>anyone verified</c> for <c>*</c>, otherwise the entry as configured.</summary>
    public string Shown => Text == "*" ? "anyone verified" : Text;

    /// <summary><c>*</c> matches any run of characters; everything else matches itself (ordinal).</summary>
    internal static bool Glob(string pattern, string value, bool ignoreCase = false)
    {
        if (pattern == "*") return true;
        var regex = "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$";
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return Regex.IsMatch(value, regex, options, TimeSpan.FromMilliseconds(100));
    }

    [GeneratedRegex("^S[A-Z0-9]{6,}$", RegexOptions.CultureInvariant)]
    private static partial Regex SlackGroupId();
}
