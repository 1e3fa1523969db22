# gen_glossary.awk - a deterministic glossary of official titles at commune
# level, for bench/lookup.sh: 20 positions x 15 bodies x 3600 communes,
# cut at N rows (default 1,000,000). Same output on every run and every awk.
#   awk -v N=1000000 -f bench/gen_glossary.awk > glossary.tsv
BEGIN {
    if (N == "") N = 1000000
    np = split("Chủ tịch|Phó Chủ tịch|Bí thư|Phó Bí thư|Trưởng ban|Phó Trưởng ban|Giám đốc|Phó Giám đốc|Chánh Văn phòng|Ủy viên|Trưởng phòng|Phó Trưởng phòng|Chủ nhiệm|Thư ký|Kế toán trưởng|Trưởng Công an|Chỉ huy trưởng|Hiệu trưởng|Tổng biên tập|Phó Tổng biên tập", pv, "|")
    split("Chairman|Vice Chairman|Secretary|Deputy Secretary|Head|Deputy Head|Director|Deputy Director|Chief of Office|Member|Head of Division|Deputy Head of Division|Chair|Clerk|Chief Accountant|Police Chief|Commander|Principal|Editor-in-Chief|Deputy Editor-in-Chief", pe, "|")
    nb = split("UBND|HĐND|Đảng ủy|Ủy ban MTTQ|Hội Nông dân|Hội Phụ nữ|Đoàn Thanh niên|Hội Cựu chiến binh|Trạm Y tế|Trường Tiểu học|Trường THCS|Hợp tác xã|Ban Dân vận|Công an|Ban Chỉ huy Quân sự", bv, "|")
    split("People's Committee|People's Council|Party Committee|Fatherland Front Committee|Farmers' Association|Women's Union|Youth Union|Veterans' Association|Health Station|Primary School|Secondary School|Cooperative|Mass Mobilization Commission|Police|Military Command", be, "|")
    ns = split("An|Bình|Cát|Diễn|Đông|Giang|Hà|Hải|Hòa|Hưng|Khánh|Kim|Lam|Lâm|Lộc|Long|Minh|Mỹ|Nam|Nghĩa|Ngọc|Nhân|Phong|Phú|Phúc|Quang|Quỳnh|Sơn|Tân|Thạch|Thanh|Thành|Thịnh|Thọ|Thuận|Thủy|Tiến|Trung|Trường|Tùng|Văn|Vinh|Xuân|Yên|Đức|Đại|Đồng|Hồng|Hợp|Kỳ|Liên|Lĩnh|Mai|Nghi|Nhật|Phước|Quế|Tây|Thái|Vân", sv, "|")
    split("An|Binh|Cat|Dien|Dong|Giang|Ha|Hai|Hoa|Hung|Khanh|Kim|Lam|Lam|Loc|Long|Minh|My|Nam|Nghia|Ngoc|Nhan|Phong|Phu|Phuc|Quang|Quynh|Son|Tan|Thach|Thanh|Thanh|Thinh|Tho|Thuan|Thuy|Tien|Trung|Truong|Tung|Van|Vinh|Xuan|Yen|Duc|Dai|Dong|Hong|Hop|Ky|Lien|Linh|Mai|Nghi|Nhat|Phuoc|Que|Tay|Thai|Van", se, "|")
    print "# vi\ten\tkind\tcount\tsources"
    n = 0
    for (a = 1; a <= ns && n < N; a++)
        for (b = 1; b <= ns && n < N; b++)
            for (p = 1; p <= np && n < N; p++)
                for (o = 1; o <= nb && n < N; o++) {
                    n++
                    printf "%s %s xã %s %s\t%s of the %s of %s %s Commune\ttitle\t%d\tbaonghean/%05d.txt:%d\n", \
                        pv[p], bv[o], sv[a], sv[b], pe[p], be[o], se[a], se[b], \
                        1 + (n * 7919) % 13, n % 50000, 1 + n % 97
                }
}
