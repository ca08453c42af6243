// SPDX-License-Identifier: GPL-3.0
/*
    Copyright 2021 0KIMS association.

    This file is generated with [snarkJS](https://github.com/iden3/snarkjs).

    snarkJS is a free software: you can redistribute it and/or modify it
    under the terms of the GNU General Public License as published by
    the Free Software Foundation, either version 3 of the License, or
    (at your option) any later version.

    snarkJS is distributed in the hope that it will be useful, but WITHOUT
    ANY WARRANTY; without even the implied warranty of MERCHANTABILITY
    or FITNESS FOR A PARTICULAR PURPOSE. See the GNU General Public
    License for more details.

    You should have received a copy of the GNU General Public License
    along with snarkJS. If not, see <https://www.gnu.org/licenses/>.
*/

pragma solidity >=0.7.0 <0.9.0;

contract CredentialQueryVerifier {
    // Scalar field size
    uint256 constant r    = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    // Base field size
    uint256 constant q   = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // Verification Key data
    uint256 constant alphax  = 4242603850920200323442806253726721774793189213045583531131081892961567090747;
    uint256 constant alphay  = 16782484953067411969218236740881810896275264749597102885394475161761054545506;
    uint256 constant betax1  = 1340696556449973501345607458122870891762963248640677866799052552146198116302;
    uint256 constant betax2  = 967517091279579112450874122084826800469099244692141261940513261502819942911;
    uint256 constant betay1  = 21232491737507204932235357730490716299370145668759874112371379223989145116322;
    uint256 constant betay2  = 842482892861770121510595311162496123602517331679082006027474990499170762082;
    uint256 constant gammax1 = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 constant gammax2 = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 constant gammay1 = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 constant gammay2 = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 constant deltax1 = 17695696991055726465734092354604355651887581508210931362208091132623634116307;
    uint256 constant deltax2 = 454882956566959703232745834660472282273404631883857617142501217535477261566;
    uint256 constant deltay1 = 6975483274343367739406783473615729476649642680194478206224813810683581811425;
    uint256 constant deltay2 = 16571071583225008239477127770382354916812138122547658982167266679574037751492;

    
    uint256 constant IC0x = 13661837057243488643226386275142119455936533430289983972606691666237432776875;
    uint256 constant IC0y = 9220725582661472417432622007764195620928831168989463558127585914401166258503;
    
    uint256 constant IC1x = 2352371875184542782515527668212839389839544244641558057477033264991205359754;
    uint256 constant IC1y = 9016109463626121864188145775639830627812963666126387072199728142231076396936;
    
    uint256 constant IC2x = 21037815496358707593117593872689940119832747589291823661952659410771468668362;
    uint256 constant IC2y = 68290979456328274175624571443665785476730742983646366288066305381988933709;
    
    uint256 constant IC3x = 19518996129909987868459268004045885683904490580975722141225754000772508533089;
    uint256 constant IC3y = 4151534756861032280408560699180781391085855189467003356561139948075821490858;
    
    uint256 constant IC4x = 8454936372904126893282078113964780675071477631531740091623111276722475159796;
    uint256 constant IC4y = 1918700633400722656695873812230591334062426738136622808776561752014576964664;
    
    uint256 constant IC5x = 10741783870217118962836046507305052384178955052299076226387839329624392590333;
    uint256 constant IC5y = 18338133153390359810034492441383406438981194093077251459293042248535359289159;
    
    uint256 constant IC6x = 7662929131265365943376398698613937929735706157915818882909362664719019865194;
    uint256 constant IC6y = 17280753607271064072584260266893307636838156567333278782551428604178251480144;
    
    uint256 constant IC7x = 1432222053118893306979957139629890036648310617375616025185297240054272380165;
    uint256 constant IC7y = 13952410479711026095471026160720277219209129295173298889510531040741023938942;
    
    uint256 constant IC8x = 14661305276250598191361129439662539042269991233699364539933007132581802055007;
    uint256 constant IC8y = 3129787296516936298381483527154707202182474720491895753712664450032178930348;
    
    uint256 constant IC9x = 16710303085070246302981824922177056695173693175634842117581805802583346036510;
    uint256 constant IC9y = 20562973372987525186486529136049750435400074415771311398043909238778943944600;
    
    uint256 constant IC10x = 20624741023557524927294044659292470505173752829563100796045995914671024999019;
    uint256 constant IC10y = 20659530505337449672593587587981306001421931909795945185558390065782181010225;
    
    uint256 constant IC11x = 1441568242386658552016714301133465385264670878384509610552221858649906413928;
    uint256 constant IC11y = 2434665495984850762735741460854707454666773001335417704432389331380246528317;
    
    uint256 constant IC12x = 15067290796084076470990863580510863050844390125650284634989217529164428841971;
    uint256 constant IC12y = 21004014513573864810834681066328757603449689232522413163865951187507191218853;
    
    uint256 constant IC13x = 9907244169526576311235684362825390679551441909329288046914009193324855284815;
    uint256 constant IC13y = 8043645159969425315010796167737563522058436860784184084312849795334403379173;
    
    uint256 constant IC14x = 7954983102410588292619396253916692273089523235532702525399265206292806905274;
    uint256 constant IC14y = 18081952061076156696243439098203424953738526502923193436254484907155059384906;
    
    uint256 constant IC15x = 2501378546730429743077480275753077979778514604061440897075708758775236818575;
    uint256 constant IC15y = 6755600071485501562713754770199807548837372312441511194210223943296993215427;
    
    uint256 constant IC16x = 11859598629764916357832082382583758668425308877829390912631893002300453630948;
    uint256 constant IC16y = 18431547836820617444718477993231945683011306447937361518862799643576676124254;
    
    uint256 constant IC17x = 3559210740854167672998175341812147989136845241980442617080291987238107440392;
    uint256 constant IC17y = 7050595999886985791090820849271806475095943050487596584911685986171343381374;
    
    uint256 constant IC18x = 21157430984332737400516292086999605355150252063428921265808357025729314014827;
    uint256 constant IC18y = 14993271570163114588640711175732018052090248803117051693187481704056415908404;
    
    uint256 constant IC19x = 15751339594534827132611132601643726818210869604725098803123376262173726993597;
    uint256 constant IC19y = 20224618741428314277829631520118196246084233920319333878104208084135962469442;
    
    uint256 constant IC20x = 1148927233437717352534359920864066252960496653460906874001396417366411770347;
    uint256 constant IC20y = 10161636336185404564751740446567142840697863712846202798279952023300962655136;
    
    uint256 constant IC21x = 14047533215007962952701045412620266696584928324482332754845616406359544831165;
    uint256 constant IC21y = 21632520613706668506362677006613671120637362375720781905760080667929795740900;
    
    uint256 constant IC22x = 10602949530193578166682717566334026463587794032597837697939921228435559752538;
    uint256 constant IC22y = 14307965550382510028335966690745209614552823300196062773585916755602082316097;
    
    uint256 constant IC23x = 18048189788431414725721994097011393316059697538128884136444245114894689193904;
    uint256 constant IC23y = 17428595644180144349615926222294438897731532201912877350598586072331590602589;
    
    uint256 constant IC24x = 5552279016429601066426268872269296961833840076974973265454360974030627789976;
    uint256 constant IC24y = 2015917143007403036248536950584866524933273804849910108111299435446149333649;
    
    uint256 constant IC25x = 15834143286503228567503103543388706832982149026424382027807392865156184662300;
    uint256 constant IC25y = 20637125166673888390423237930207166008278548151912222383209428438688808616230;
    
    uint256 constant IC26x = 5512890196526427205979971880059851922041668959012766913996577801817934651023;
    uint256 constant IC26y = 17329245356432767578749910043332665203051069279573006908014985785929587432572;
    
    uint256 constant IC27x = 21093768929884135254853017158828977318924937942171740872675451934709045238703;
    uint256 constant IC27y = 15547859411598448051347963505873547033462356004652774737321258557832567587903;
    
 
    // Memory data
    uint16 constant pVk = 0;
    uint16 constant pPairing = 128;

    uint16 constant pLastMem = 896;

    function verifyProof(uint[2] calldata _pA, uint[2][2] calldata _pB, uint[2] calldata _pC, uint[27] calldata _pubSignals) public view returns (bool) {
        assembly {
            function checkField(v) {
                if iszero(lt(v, r)) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }
            
            // G1 function to multiply a G1 value(x,y) to value in an address
            function g1_mulAccC(pR, x, y, s) {
                let success
                let mIn := mload(0x40)
                mstore(mIn, x)
                mstore(add(mIn, 32), y)
                mstore(add(mIn, 64), s)

                success := staticcall(sub(gas(), 2000), 7, mIn, 96, mIn, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }

                mstore(add(mIn, 64), mload(pR))
                mstore(add(mIn, 96), mload(add(pR, 32)))

                success := staticcall(sub(gas(), 2000), 6, mIn, 128, pR, 64)

                if iszero(success) {
                    mstore(0, 0)
                    return(0, 0x20)
                }
            }

            function checkPairing(pA, pB, pC, pubSignals, pMem) -> isOk {
                let _pPairing := add(pMem, pPairing)
                let _pVk := add(pMem, pVk)

                mstore(_pVk, IC0x)
                mstore(add(_pVk, 32), IC0y)

                // Compute the linear combination vk_x
                
                g1_mulAccC(_pVk, IC1x, IC1y, calldataload(add(pubSignals, 0)))
                
                g1_mulAccC(_pVk, IC2x, IC2y, calldataload(add(pubSignals, 32)))
                
                g1_mulAccC(_pVk, IC3x, IC3y, calldataload(add(pubSignals, 64)))
                
                g1_mulAccC(_pVk, IC4x, IC4y, calldataload(add(pubSignals, 96)))
                
                g1_mulAccC(_pVk, IC5x, IC5y, calldataload(add(pubSignals, 128)))
                
                g1_mulAccC(_pVk, IC6x, IC6y, calldataload(add(pubSignals, 160)))
                
                g1_mulAccC(_pVk, IC7x, IC7y, calldataload(add(pubSignals, 192)))
                
                g1_mulAccC(_pVk, IC8x, IC8y, calldataload(add(pubSignals, 224)))
                
                g1_mulAccC(_pVk, IC9x, IC9y, calldataload(add(pubSignals, 256)))
                
                g1_mulAccC(_pVk, IC10x, IC10y, calldataload(add(pubSignals, 288)))
                
                g1_mulAccC(_pVk, IC11x, IC11y, calldataload(add(pubSignals, 320)))
                
                g1_mulAccC(_pVk, IC12x, IC12y, calldataload(add(pubSignals, 352)))
                
                g1_mulAccC(_pVk, IC13x, IC13y, calldataload(add(pubSignals, 384)))
                
                g1_mulAccC(_pVk, IC14x, IC14y, calldataload(add(pubSignals, 416)))
                
                g1_mulAccC(_pVk, IC15x, IC15y, calldataload(add(pubSignals, 448)))
                
                g1_mulAccC(_pVk, IC16x, IC16y, calldataload(add(pubSignals, 480)))
                
                g1_mulAccC(_pVk, IC17x, IC17y, calldataload(add(pubSignals, 512)))
                
                g1_mulAccC(_pVk, IC18x, IC18y, calldataload(add(pubSignals, 544)))
                
                g1_mulAccC(_pVk, IC19x, IC19y, calldataload(add(pubSignals, 576)))
                
                g1_mulAccC(_pVk, IC20x, IC20y, calldataload(add(pubSignals, 608)))
                
                g1_mulAccC(_pVk, IC21x, IC21y, calldataload(add(pubSignals, 640)))
                
                g1_mulAccC(_pVk, IC22x, IC22y, calldataload(add(pubSignals, 672)))
                
                g1_mulAccC(_pVk, IC23x, IC23y, calldataload(add(pubSignals, 704)))
                
                g1_mulAccC(_pVk, IC24x, IC24y, calldataload(add(pubSignals, 736)))
                
                g1_mulAccC(_pVk, IC25x, IC25y, calldataload(add(pubSignals, 768)))
                
                g1_mulAccC(_pVk, IC26x, IC26y, calldataload(add(pubSignals, 800)))
                
                g1_mulAccC(_pVk, IC27x, IC27y, calldataload(add(pubSignals, 832)))
                

                // -A
                mstore(_pPairing, calldataload(pA))
                mstore(add(_pPairing, 32), mod(sub(q, calldataload(add(pA, 32))), q))

                // B
                mstore(add(_pPairing, 64), calldataload(pB))
                mstore(add(_pPairing, 96), calldataload(add(pB, 32)))
                mstore(add(_pPairing, 128), calldataload(add(pB, 64)))
                mstore(add(_pPairing, 160), calldataload(add(pB, 96)))

                // alpha1
                mstore(add(_pPairing, 192), alphax)
                mstore(add(_pPairing, 224), alphay)

                // beta2
                mstore(add(_pPairing, 256), betax1)
                mstore(add(_pPairing, 288), betax2)
                mstore(add(_pPairing, 320), betay1)
                mstore(add(_pPairing, 352), betay2)

                // vk_x
                mstore(add(_pPairing, 384), mload(add(pMem, pVk)))
                mstore(add(_pPairing, 416), mload(add(pMem, add(pVk, 32))))


                // gamma2
                mstore(add(_pPairing, 448), gammax1)
                mstore(add(_pPairing, 480), gammax2)
                mstore(add(_pPairing, 512), gammay1)
                mstore(add(_pPairing, 544), gammay2)

                // C
                mstore(add(_pPairing, 576), calldataload(pC))
                mstore(add(_pPairing, 608), calldataload(add(pC, 32)))

                // delta2
                mstore(add(_pPairing, 640), deltax1)
                mstore(add(_pPairing, 672), deltax2)
                mstore(add(_pPairing, 704), deltay1)
                mstore(add(_pPairing, 736), deltay2)


                let success := staticcall(sub(gas(), 2000), 8, _pPairing, 768, _pPairing, 0x20)

                isOk := and(success, mload(_pPairing))
            }

            let pMem := mload(0x40)
            mstore(0x40, add(pMem, pLastMem))

            // Validate that all evaluations ∈ F
            
            checkField(calldataload(add(_pubSignals, 0)))
            
            checkField(calldataload(add(_pubSignals, 32)))
            
            checkField(calldataload(add(_pubSignals, 64)))
            
            checkField(calldataload(add(_pubSignals, 96)))
            
            checkField(calldataload(add(_pubSignals, 128)))
            
            checkField(calldataload(add(_pubSignals, 160)))
            
            checkField(calldataload(add(_pubSignals, 192)))
            
            checkField(calldataload(add(_pubSignals, 224)))
            
            checkField(calldataload(add(_pubSignals, 256)))
            
            checkField(calldataload(add(_pubSignals, 288)))
            
            checkField(calldataload(add(_pubSignals, 320)))
            
            checkField(calldataload(add(_pubSignals, 352)))
            
            checkField(calldataload(add(_pubSignals, 384)))
            
            checkField(calldataload(add(_pubSignals, 416)))
            
            checkField(calldataload(add(_pubSignals, 448)))
            
            checkField(calldataload(add(_pubSignals, 480)))
            
            checkField(calldataload(add(_pubSignals, 512)))
            
            checkField(calldataload(add(_pubSignals, 544)))
            
            checkField(calldataload(add(_pubSignals, 576)))
            
            checkField(calldataload(add(_pubSignals, 608)))
            
            checkField(calldataload(add(_pubSignals, 640)))
            
            checkField(calldataload(add(_pubSignals, 672)))
            
            checkField(calldataload(add(_pubSignals, 704)))
            
            checkField(calldataload(add(_pubSignals, 736)))
            
            checkField(calldataload(add(_pubSignals, 768)))
            
            checkField(calldataload(add(_pubSignals, 800)))
            
            checkField(calldataload(add(_pubSignals, 832)))
            

            // Validate all evaluations
            let isValid := checkPairing(_pA, _pB, _pC, _pubSignals, pMem)

            mstore(0, isValid)
             return(0, 0x20)
         }
     }
 }
