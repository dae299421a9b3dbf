using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace FlinkOpsBot.Core.Tests.Properties;

/// <summary>
/// Generators for chat lines: arbitrary text (unicode, control characters, phone typography, very long lines),
/// near-valid commands (a valid verb with mutated arguments) and well-formed commands with the values they were built from.
/// </summary>
internal static class CommandGenerators
{
    /// <summary>Characters that matter to the tokenizer and the parser, and some that should not.</summary>
    private static readonly char[] Interesting =
    [
        ' ', ' ', '\t', '\n', '\r', '\u00A0', '\u2007', '\u3000', '\0', '\u0007', '\u001B', '\u007F', '\u200B', '\uFEFF',
        '"', '\'', '\u201C', '\u201D', '\u2018', '\u2019', '\u00AB', '\u00BB', '-', '-', '\u2013', '\u2014', '\u2212', '=', '/', '\\',
        'R', 'r', '7', 'Q', '2', 'K', '0', 'O', 'a', 'z', '.', '_', '?', '*', '`', '<', '>', '@', '#', ':',
        '\u0663', '\uFF11', '\u00E9', '\u0130', '\u0131', '\u00DF', '\u4E2D', '\uD83D', '\uDE80', '\uD800', '\uDFFF',
    ];

    /// <summary>Words a person might type, right or nearly right.</summary>
    private static readonly string[] Words =
    [
        "/flink", "/FLINK", "/flink/", "flink", "help", "?", "-h", "--help", "status", "runs", "run", "timeline", "incident", "note", "export", "verify", "--format", "--run", "INC-4F2K", "approve", "reject",
        "cancel", "upgrade", "UPGRADE", "Upgrade", "upgrad", "last", "LAST", "R-7Q2K", "r-7q2k", "R-0000", "R-7Q2", "R-7Q2KK", "R_7Q2K",
        "--jar", "--jar=", "--parallelism", "--parallelism=8", "--savepoint-dir", "--allow-non-restored-state",
        "--allow-non-restored-state=false", "--rollback-jar", "--cluster", "--cluster=", "--", "-", "---", "—jar", "–parallelism",
        "orders-enricher", "x.jar", "s3://b/sp", "8", "0", "-1", "1e3", "０", "٣", "\"", "'", "“", "”", "=",
        "lock", "unlock", "locks", "steal-lock", "--reason", "--reason=", "--for", "--for=", "--for=2h", "25h", "30s", "--steal", "--take", "—steal",
    ];

    /// <summary>Garbage for an option's value.</summary>
    private static readonly string[] BadValues =
    [
        "", " ", "\"\"", "''", "“”", "0", "-1", "+4", "1.5", "1,000", "4 ", "0x10", "1e3", "99999999999", "2147483648", "٣", "０", "Ⅷ",
        "eight", "NaN", "--x", "—", "not-a-uri", "s3:", "/relative/path", "://nohost", "http://[::1", "\"unclosed", "'unclosed", "“unclosed",
    ];

    /// <summary>Any text: FsCheck's strings (null included), strings of the interesting characters, word salads and long lines.</summary>
    public static Gen<string?> AnyText() => Gen.Frequency<string?>(
        (3, ArbMap.Default.GeneratorFor<string?>()),
        (3, InterestingString().Select(s => (string?)s)),
        (3, Gen.ListOf(Gen.OneOf(Gen.Elements(Words), InterestingString())).Select(ws => (string?)string.Join(' ', ws))),
        (1, LongLine()));

    /// <summary>Near-valid lines: each verb with arguments mutated the ways people and phones get them wrong.</summary>
    public static Gen<string> NearValid() => Gen.OneOf(NearValidUpgrade(), NearValidOther());

    /// <summary>A well-formed <c>upgrade</c>, spelled in any of the accepted ways, with the inputs it should parse to.</summary>
    public static Gen<(string Text, Dictionary<string, string> Inputs)> WellFormedUpgrade() =>
        from job in SafeWord()
        from jar in SafeWord().Select(w => w + ".jar")
        from parallelism in Gen.OneOf(Gen.Constant<string?>(null), Gen.Choose(1, int.MaxValue).Select(n => (string?)n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        from savepointDir in Gen.OneOf(Gen.Constant<string?>(null), HostName().Zip(SafeWord()).Select(x => (string?)$"s3://{x.Item1}/{x.Item2}"))
        from allow in Gen.Elements<bool?>(null, true, false)
        from rollback in Gen.OneOf(Gen.Constant<string?>(null), SafeWord().Select(w => (string?)(w + ".jar")))
        from cluster in Gen.OneOf(Gen.Constant<string?>(null), SafeWord().Select(w => (string?)w))
        let options = new List<(string Name, string? Value, bool Flag)>
        {
            ("jar", jar, false), ("parallelism", parallelism, false), ("savepoint-dir", savepointDir, false),
            ("allow-non-restored-state", allow switch { true => "true", false => "false", null => null }, true),
            ("rollback-jar", rollback, false), ("cluster", cluster, false),
        }
        from order in Gen.Shuffle(options.Where(o => o.Value is not null).ToArray())
        from jobAt in Gen.Choose(0, order.Length)
        from spelled in Gen.CollectToArray(order, o => SpellOption(o.Name, o.Value!, o.Flag))
        from jobText in Quoted(job)
        from prefix in Gen.Elements("", "/flink ", "/FLINK ")
        from verb in Gen.Elements("upgrade", "Upgrade", "UPGRADE")
        from space in Space()
        let parts = spelled.Take(jobAt).Append(jobText).Concat(spelled.Skip(jobAt))
        select (
            prefix + verb + space + string.Join(' ', parts),
            BuildInputs(job, jar, parallelism, savepointDir, allow, rollback, cluster));

    /// <summary>A well-formed <c>approve|reject|cancel</c> with its verb, run id (null for <c>last</c>) and comment.</summary>
    public static Gen<(string Text, string Verb, string? RunId, string? Comment)> WellFormedDecision() =>
        from verb in Gen.Elements("approve", "reject", "cancel")
        from verbCase in Gen.Elements(verb, verb.ToUpperInvariant())
        from runId in Gen.OneOf(Gen.Constant<string?>(null), RunIdText().Select(r => (string?)r))
        from lastCase in Gen.Elements("last", "LAST", "Last")
        from typedId in Gen.Elements(runId, runId?.ToLowerInvariant())
        from words in Gen.ListOf(SafeWord())
        from spaces in Gen.ArrayOf(Space(), words.Count + 2)
        let comment = words.Count == 0 ? null : string.Join(' ', words)
        let text = verbCase + spaces[0] + (typedId ?? lastCase) + string.Concat(words.Select((w, i) => spaces[i + 1] + w)) + spaces[^1]
        select (text, verb, runId, comment);

    /// <summary>A run id in canonical form, e.g. <c>R-7Q2K</c>.</summary>
    public static Gen<string> RunIdText() =>
        Gen.ArrayOf(Gen.Elements("23456789ABCDEFGHJKMNPQRSTVWXYZ".ToCharArray()), 4).Select(cs => "R-" + new string(cs));

    /// <summary>A word that the tokenizer keeps whole: letters, digits and <c>-_.</c>, starting with a letter or digit.</summary>
    public static Gen<string> SafeWord() =>
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        from rest in Gen.ListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.".ToCharArray()))
        select first + new string([.. rest]);

    /// <summary>A DNS-shaped bucket name (an S3 bucket allows no more): lower-case letters and digits, dashes inside.</summary>
    private static Gen<string> HostName() =>
        from first in Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray())
        from rest in Gen.ListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray()))
        select first + new string([.. rest]).TrimEnd('-');

    private static Dictionary<string, string> BuildInputs(string job, string jar, string? parallelism, string? savepointDir, bool? allow, string? rollback, string? cluster)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal) { ["job"] = job, ["jar"] = jar };
        if (parallelism is not null) inputs["parallelism"] = parallelism;
        if (savepointDir is not null) inputs["savepoint-dir"] = savepointDir;
        if (allow == true) inputs["allow-non-restored-state"] = "true";
        if (rollback is not null) inputs["rollback-jar"] = rollback;
        if (cluster is not null) inputs["cluster"] = cluster;
        return inputs;
    }

    /// <summary><c>--name value</c>, <c>--name=value</c>, a phone's dash for <c>--</c>, quotes straight or curly; a flag bare or <c>=true|false</c>.</summary>
    private static Gen<string> SpellOption(string name, string value, bool flag) =>
        from dashes in Gen.Elements("--", "--", "\u2013", "\u2014")
        from withEquals in Gen.Elements(true, false)
        from quoted in Quoted(value)
        from space in Space()
        select flag
            ? (value == "true" && !withEquals ? dashes + name : $"{dashes}{name}={value}")
            : withEquals ? $"{dashes}{name}={quoted}" : dashes + name + space + quoted;

    private static Gen<string> Quoted(string value) => Gen.Elements(value, $"\"{value}\"", $"'{value}'", $"\u201C{value}\u201D", $"\u2018{value}\u2019");

    private static Gen<string> Space() => Gen.Elements(" ", "  ", "\t", "\u00A0", " \u00A0 ", "\u3000");

    private static Gen<string> InterestingString() =>
        Gen.ListOf(Gen.Elements(Interesting)).Select(cs => new string([.. cs]));

    private static Gen<string?> LongLine() =>
        from word in Gen.Elements(Words)
        from count in Gen.Choose(1_000, 20_000)
        from tail in InterestingString()
        select (string?)(string.Concat(Enumerable.Repeat(word, count)) + tail);

    private static Gen<string> NearValidUpgrade() =>
        from valid in WellFormedUpgrade()
        from mutations in Gen.NonEmptyListOf(UpgradeMutation())
        select mutations.Aggregate(valid.Text, (text, mutate) => mutate(text));

    /// <summary>One change to an <c>upgrade</c> line; each reaches a different refusal, or none.</summary>
    private static Gen<Func<string, string>> UpgradeMutation() => Gen.OneOf(
        Gen.Elements(BadValues).Select(v => (Func<string, string>)(t => t + " --parallelism " + v)),
        Gen.Elements(BadValues).Select(v => (Func<string, string>)(t => t + " --parallelism=" + v)),
        Gen.Elements(BadValues).Select(v => (Func<string, string>)(t => t + " --savepoint-dir " + v)),
        Gen.Elements(BadValues).Select(v => (Func<string, string>)(t => t + " --jar=" + v)),
        Gen.Elements(BadValues).Select(v => (Func<string, string>)(t => t + " --allow-non-restored-state=" + v)),
        Gen.Elements("--jarr", "--parralelism", "--job", "--", "---", "--Jar", "--jar\u200B").Select(o => (Func<string, string>)(t => t + " " + o + " x")),
        Gen.Elements("--jar", "--cluster", "--rollback-jar", "--parallelism", "--savepoint-dir").Select(o => (Func<string, string>)(t => t + " " + o)),
        Gen.Elements("--jar", "--cluster", "--rollback-jar", "--parallelism", "--savepoint-dir").Select(o => (Func<string, string>)(t => t + " " + o + " --jar y.jar")),
        SafeWord().Select(w => (Func<string, string>)(t => t + " " + w)),
        Gen.Elements("\"", "'", "\u201C", "\u2018").Select(q => (Func<string, string>)(t => t + " " + q + "open")),
        Gen.Constant((Func<string, string>)(t => "upgrade" + (t.Contains(".jar", StringComparison.Ordinal) ? "" : " j") + " --jar x.jar")),
        Gen.Constant((Func<string, string>)(t => "upgrade orders-enricher")),
        Gen.Constant((Func<string, string>)(t => "upgrade")),
        Gen.Constant((Func<string, string>)(t => "upgrade \"\" --jar x.jar")),
        Gen.Constant((Func<string, string>)(t => t.Replace("--", "-", StringComparison.Ordinal))),
        Gen.Constant((Func<string, string>)(t => t.Replace(' ', '\n'))));

    private static Gen<string> NearValidOther() =>
        from verb in Gen.Frequency(
            (3, Gen.Constant("status")),
            (2, Gen.Constant("timeline")),
            (2, Gen.Elements("runs", "run")),
            (2, Gen.Elements("approve", "reject", "cancel")),
            (1, Gen.Elements("help", "frobnicate", "statuss", "approv")))
        from count in Gen.Choose(0, 2)
        from args in Gen.ArrayOf(Gen.OneOf(
            Gen.Elements(BadValues),
            Gen.Elements("--cluster", "--cluster prod", "--job", "last", "R-7Q2K", "r-7q2k", "R-0000", "R-7Q2KX", "orders-enricher", "--",
                "--cluster=", "--cluster a --cluster b"),
            RunIdText(),
            SafeWord()), count)
        from prefix in Gen.Elements("", "/flink ")
        from suffix in Gen.Elements("", "", "", " --cluster")
        select prefix + verb + " " + string.Join(' ', args) + suffix;
}
