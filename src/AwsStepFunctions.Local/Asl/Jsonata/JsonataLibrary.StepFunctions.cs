using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AwsStepFunctions.Local.Asl.Jsonata;

// The functions Step Functions adds to JSONata ("JSONata functions provided by Step Functions"), plus $random,
// which it extends with an optional seed.
internal static partial class JsonataLibrary
{
    private static void AddStepFunctionsFunctions(Register add)
    {
        add("partition", 2, 2, false, call =>
        {
            if (call.Array(0) is not { } items) return null;
            var size = call.Number(1)!.Value;
            if (size <= 0 || !IsInteger(size)) throw call.Error("D3200", $"the chunk size must be a positive integer, not {NumberText.Format(size)}");
            var result = new JsonataArray();
            // A chunk larger than the array is the whole array (and keeps the int arithmetic below in range).
            var chunk = size >= items.Count ? Math.Max(items.Count, 1) : (int)size;
            for (var i = 0; i < items.Count; i += chunk) result.Add(new JsonataArray(items.GetRange(i, Math.Min(chunk, items.Count - i))));
            return result;
        });
        add("range", 3, 3, false, call =>
        {
            double start = call.Number(0) ?? throw call.Mismatch(0);
            double end = call.Number(1) ?? throw call.Mismatch(1);
            double step = call.Number(2) ?? throw call.Mismatch(2);
            if (!IsInteger(start) || !IsInteger(end) || !IsInteger(step)) throw call.Error("D3200", "start, end and step must be integers");
            if (step == 0) throw call.Error("D3200", "the step must not be zero");
            var result = new JsonataArray();
            for (var n = start; step > 0 ? n <= end : n >= end; n += step)
            {
                if (result.Count >= 10_000_000) throw call.Error("D2014", "the range would have more than ten million members");
                result.Add(n);
            }
            // AWS answers a range of one member with the member itself ($range(1, 9, 9) is 1, not [1]).
            return result.Count == 1 ? result[0] : result;
        });
        add("hash", 2, 2, false, call =>
        {
            if (call.String(0) is not { } data) return null;
            var algorithm = call.String(1);
            var bytes = Encoding.UTF8.GetBytes(data);
            byte[] digest = algorithm switch
            {
                "MD5" => MD5.HashData(bytes),
                "SHA-1" => SHA1.HashData(bytes),
                "SHA-256" => SHA256.HashData(bytes),
                "SHA-384" => SHA384.HashData(bytes),
                "SHA-512" => SHA512.HashData(bytes),
                _ => throw call.Error("D3200", $"unsupported hash algorithm '{algorithm}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
            };
            return Convert.ToHexStringLower(digest);
        });
        add("random", 0, 1, false, call =>
        {
            if (call[0] is null) return call.Evaluator.Random.NextDouble();
            var seed = call.Number(0)!.Value;
            // Same seed, same number, as with States.MathRandom's seed.
            return new Random(SeedOf(seed)).NextDouble();
        });
        add("uuid", 0, 0, false, call =>
        {
            Span<byte> bytes = stackalloc byte[16];
            call.Evaluator.Random.NextBytes(bytes);
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes, bigEndian: true).ToString();
        });
        add("parse", 1, 1, false, call =>
        {
            if (call.String(0) is not { } text) return null;
            try
            {
                return JsonataValues.FromNode(JsonNode.Parse(text));
            }
            catch (JsonException e)
            {
                throw call.Error("D3200", $"the string is not valid JSON: {e.Message}");
            }
        });
    }

    private static int SeedOf(double seed) =>
        IsInteger(seed) && seed >= int.MinValue && seed <= int.MaxValue ? (int)seed : seed.GetHashCode();
}
