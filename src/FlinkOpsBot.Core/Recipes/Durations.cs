using System.Globalization;

namespace FlinkOpsBot.Core.Recipes;

/// <summary>Short durations as people type them: <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>.</summary>
public static class Durations
{
    /// <summary>Parses a whole number followed by <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var unitStart = s.Length;
        while (unitStart > 0 && char.IsAsciiLetter(s[unitStart - 1])) unitStart--;
        if (!long.TryParse(s.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        TimeSpan? parsed = s[unitStart..] switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
        if (parsed is not { } value) return false;
        duration = value;
        return true;
    }

    /// <summary>
    /// How long ago <paramref name="then"/> was, e.g. <c>14 s ago</c>. A time slightly in the future (the cluster's
    /// clock runs ahead of ours) reads <c>just now</c> rather than a negative age.
    /// </summary>
    public static string Ago(DateTimeOffset now, DateTimeOffset then) =>
        now - then < TimeSpan.FromSeconds(1) ? "just now" : Format(now - then) + " ago";

    /// <summary>A compact human form: <c>450 ms</c>, <c>14 s</c>, <c>3 min 20 s</c>, <c>2 h 5 min</c>.</summary>
    public static string Format(TimeSpan d)
    {
        if (d < TimeSpan.Zero) return "-" + Format(-d);
        if (d < TimeSpan.FromSeconds(1)) return $"{(int)d.TotalMilliseconds} ms";
        if (d < TimeSpan.FromMinutes(1)) return $"{(int)d.TotalSeconds} s";
        if (d < TimeSpan.FromHours(1)) return d.Seconds == 0 ? $"{(int)d.TotalMinutes} min" : $"{(int)d.TotalMinutes} min {d.Seconds} s";
        if (d < TimeSpan.FromDays(1)) return d.Minutes == 0 ? $"{(int)d.TotalHours} h" : $"{(int)d.TotalHours} h {d.Minutes} min";
        return $"{(int)d.TotalDays} d {d.Hours} h";
    }
}
