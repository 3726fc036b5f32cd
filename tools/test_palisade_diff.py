"""Unit tests of palisade-diff's comparison logic on synthetic eve records.

Run: python3 -m unittest tools/test_palisade_diff.py   (from the repository root)
"""

import importlib.machinery
import importlib.util
import json
import os
import tempfile
import unittest

_HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("palisade_diff", os.path.join(_HERE, "palisade-diff"))
_spec = importlib.util.spec_from_loader("palisade_diff", _loader)
pd = importlib.util.module_from_spec(_spec)
_loader.exec_module(pd)

START = "2020-01-01T00:00:00.000000+0000"


def flow(fid, sp=1000, pkts=(1, 1), state="established", app="http", start=START, vlan=None):
    r = {"timestamp": START, "flow_id": fid, "event_type": "flow", "src_ip": "10.0.0.1",
         "src_port": sp, "dest_ip": "10.0.0.2", "dest_port": 80, "proto": "TCP",
         "app_proto": app,
         "flow": {"pkts_toserver": pkts[0], "pkts_toclient": pkts[1], "bytes_toserver": 60 * pkts[0],
                  "bytes_toclient": 60 * pkts[1], "start": start, "end": start, "age": 0,
                  "state": state, "reason": "shutdown", "alerted": False},
         "tcp": {"tcp_flags": "1b", "tcp_flags_ts": "1b", "tcp_flags_tc": "1b", "state": "closed"}}
    if vlan:
        r["vlan"] = vlan
    return r


def alert(fid, sid, sp=1000, to_client=False, start=START):
    # packet orientation may be reversed; the flow object carries the flow's own tuple
    src, dst, psp, pdp = ("10.0.0.1", "10.0.0.2", sp, 80)
    if to_client:
        src, dst, psp, pdp = dst, src, pdp, psp
    return {"timestamp": START, "flow_id": fid, "event_type": "alert", "src_ip": src,
            "src_port": psp, "dest_ip": dst, "dest_port": pdp, "proto": "TCP",
            "alert": {"action": "allowed", "gid": 1, "signature_id": sid, "rev": 1,
                      "signature": "x", "category": "", "severity": 3},
            "direction": "to_client" if to_client else "to_server",
            "flow": {"pkts_toserver": 1, "pkts_toclient": 0, "bytes_toserver": 60,
                     "bytes_toclient": 0, "start": start, "src_ip": "10.0.0.1",
                     "dest_ip": "10.0.0.2", "src_port": sp, "dest_port": 80}}


def anomaly(ev):
    return {"timestamp": START, "event_type": "anomaly",
            "anomaly": {"type": "decode", "event": ev}}


def stats(**over):
    s = {"uptime": 3, "decoder": {"pkts": 10, "bytes": 100},
         "flow": {"total": 1, "mgr": {"flows_checked": 5}, "spare": 10000},
         "detect": {"engines": [{"id": 0, "last_reload": "now", "rules_loaded": 2}]}}
    for k, v in over.items():
        cur = s
        parts = k.split("__")
        for p in parts[:-1]:
            cur = cur.setdefault(p, {})
        if v is None:
            cur.pop(parts[-1], None)
        else:
            cur[parts[-1]] = v
    return {"timestamp": START, "event_type": "stats", "stats": s}


def cmp(a, b):
    return pd.compare(pd.summarize(a), pd.summarize(b))


class CompareTest(unittest.TestCase):
    def test_identical_despite_flow_ids_and_wallclock_counters(self):
        a = [flow(1), alert(1, 10), alert(1, 10, to_client=True), stats()]
        b = [alert(99, 10), alert(99, 10, to_client=True), flow(99),
             stats(uptime=0, flow__mgr__flows_checked=0, flow__spare=7)]
        b[-1]["stats"]["detect"]["engines"][0]["last_reload"] = "later"
        c = cmp(a, b)
        for cat in pd.CATEGORIES:
            self.assertTrue(c[cat]["same"], (cat, c[cat]))

    def test_alerts_per_sid_and_flow(self):
        a = [alert(1, 10), alert(1, 10), alert(2, 20, sp=2000)]
        b = [alert(5, 10), alert(6, 20, sp=2001), alert(6, 30)]
        c = cmp(a, b)["alerts"]
        self.assertFalse(c["same"])
        self.assertEqual(c["suricata"], 3)
        self.assertEqual(c["palisade"], 3)
        self.assertEqual(c["sids_only_suricata"], [])
        self.assertEqual(c["sids_only_palisade"], ["30"])
        self.assertEqual(c["per_sid"], {"10": [2, 1], "30": [0, 1]})
        # sid 10 count, sid 20 on two different flows (2 keys), sid 30
        self.assertEqual(c["per_flow_differences"], 4)

    def test_gid_other_than_1_is_part_of_the_sid(self):
        x = alert(1, 10)
        x["alert"]["gid"] = 3
        c = cmp([x], [alert(1, 10)])["alerts"]
        self.assertEqual(c["sids_only_suricata"], ["3:10"])

    def test_flow_start_and_vlan_are_part_of_the_key(self):
        a = [flow(1), flow(2, start="2020-01-01T00:00:01.000000+0000"), flow(3, vlan=[5])]
        b = [flow(7), flow(8, start="2020-01-01T00:00:02.000000+0000"), flow(9, vlan=[6])]
        c = cmp(a, b)["flows"]
        self.assertEqual((c["only_suricata"], c["only_palisade"], c["differing"]), (2, 2, 0))

    def test_flow_fields(self):
        a = [flow(1, pkts=(3, 2)), flow(2, sp=2, state="closed")]
        b = [flow(1, pkts=(3, 1)), flow(2, sp=2, state="closed", app="failed")]
        c = cmp(a, b)["flows"]
        self.assertFalse(c["same"])
        self.assertEqual(c["differing"], 2)
        self.assertEqual(c["field_differences"],
                         {"pkts_toclient": 1, "bytes_toclient": 1, "app_proto": 1})

    def test_event_types_and_anomalies(self):
        a = [anomaly("ipv4.trunc_pkt"), anomaly("ipv4.trunc_pkt"), {"event_type": "dns"}]
        b = [anomaly("ipv4.trunc_pkt"), anomaly("tcp.hlen_too_small")]
        c = cmp(a, b)
        self.assertEqual(c["event_types"]["differences"], {"dns": [1, 0]})
        self.assertEqual(c["anomalies"]["differences"],
                         {"decode:ipv4.trunc_pkt": [2, 1], "decode:tcp.hlen_too_small": [0, 1]})

    def test_stats_last_record_values_and_one_sided_keys(self):
        a = [stats(decoder__pkts=1), stats(decoder__bytes=5)]  # only the last one counts
        b = [stats(decoder__extra=1, flow__total=2)]
        c = cmp(a, b)["stats"]
        self.assertEqual(c["values"], {"decoder.bytes": [5, 100], "flow.total": [1, 2]})
        self.assertEqual(c["only_palisade"], ["decoder.extra"])
        self.assertEqual(c["only_suricata"], [])
        self.assertIn("detect.engines.0.rules_loaded", pd.summarize(a)["stats"])

    def test_non_ip_alert_without_event_type_is_counted(self):
        rec = {"timestamp": START, "alert": {"gid": 1, "signature_id": 4, "rev": 1}}
        s = pd.summarize([rec])
        self.assertEqual(s["event_types"]["alert"], 1)
        self.assertEqual(s["alert_sids"]["4"], 1)

    def test_read_eve_skips_bad_lines_and_totals(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "eve.json")
            with open(p, "w") as f:
                f.write(json.dumps(flow(1)) + "\n{broken\n\n[1]\n")
            recs, bad = pd.read_eve(p)
        self.assertEqual((len(recs), bad), (1, 2))
        res = [{"status": "identical", "comparison": cmp([flow(1)], [flow(1)])},
               {"status": "error"}]
        t = pd.make_totals(res)
        self.assertEqual((t["identical"], t["errors"], t["flows"]), (1, 1, [1, 1]))


class ReferenceAndSidsTest(unittest.TestCase):
    def test_sid_filter_leaves_out_other_alerts(self):
        a = [alert(1, 10), alert(1, 20), alert(1, 20)]
        b = [alert(2, 10), alert(2, 30)]
        keep = {"10", "30"}
        c = pd.compare(pd.summarize(a, sids=keep), pd.summarize(b, sids=keep))["alerts"]
        self.assertEqual((c["suricata"], c["palisade"]), (1, 2))
        self.assertEqual(c["per_sid"], {"30": [0, 1]})
        self.assertEqual(c["per_flow_differences"], 1)
        # without the filter sid 20 differs too
        c = cmp(a, b)["alerts"]
        self.assertEqual(c["per_sid"], {"20": [2, 0], "30": [0, 1]})

    def test_read_sids_file(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "sids")
            with open(p, "w") as f:
                f.write("gid\tsid\n# comment\n2001\tpacket\n1:2002\n3:7 x\n\n")
            self.assertEqual(pd.read_sids(p), {"2001", "2002", "3:7"})

    def test_reference_eve_longest_trailing_path(self):
        with tempfile.TemporaryDirectory() as d:
            ref = os.path.join(d, "ref")
            for rel in ("mixed/a.pcap", "a.pcap"):
                os.makedirs(os.path.join(ref, rel))
                with open(os.path.join(ref, rel, "eve.json"), "w") as f:
                    f.write(json.dumps(alert(1, 10)) + "\n")
            self.assertEqual(pd.reference_eve(ref, "/x/pcaps/mixed/a.pcap"),
                             os.path.join(ref, "mixed/a.pcap", "eve.json"))
            self.assertEqual(pd.reference_eve(ref, "/x/other/a.pcap"),
                             os.path.join(ref, "a.pcap", "eve.json"))
            self.assertIsNone(pd.reference_eve(ref, "/x/pcaps/mixed/b.pcap"))
            res, recs = pd.load_reference(ref, "/y/mixed/a.pcap")
            self.assertEqual((res["error"], len(recs)), (None, 1))
            res, recs = pd.load_reference(ref, "/y/mixed/b.pcap")
            self.assertIsNone(recs)
            self.assertIn("no reference", res["error"])


if __name__ == "__main__":
    unittest.main()
